import type { Results } from '@electric-sql/pglite';

/** What the database thread is started with. */
export interface PgliteStart {
  dataDir?: string;
  /** A dumped data directory (tar) to start from. */
  template?: ArrayBuffer;
}

/** `tx`: run inside that open transaction (from `begin`). */
export type PgliteRequest = { id: number } & (
  | { kind: 'query'; sql: string; params: unknown[]; rowMode: 'array' | 'object'; passThrough: number[]; tx?: number }
  | { kind: 'begin' }
  | { kind: 'end'; tx: number; commit: boolean }
  | { kind: 'dump' }
  | { kind: 'close' }
);

/** A database error as it crosses threads: its message and its fields (code, detail, constraint, ...). */
export interface ErrorData {
  name: string;
  message: string;
  fields: Record<string, unknown>;
}

/** `ran`: when the statement ran in the database thread, as epoch milliseconds (performance.timeOrigin + now). */
export type PgliteResponse =
  | { kind: 'ready' }
  | { kind: 'failed'; error: ErrorData }
  | { id: number; kind: 'done'; result: Results | number | ArrayBuffer | null; ran?: [number, number] }
  | { id: number; kind: 'error'; error: ErrorData };

export function errorData(error: unknown): ErrorData {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(error)) if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  return { name: error.name, message: error.message, fields };
}

export function errorFrom(data: ErrorData): Error {
  const error = Object.assign(new Error(data.message), data.fields);
  error.name = data.name;
  return error;
}
