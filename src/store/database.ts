import { fileURLToPath } from 'node:url';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a transaction can do; the same calls as on `db`. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete' | '$with' | 'with'>;

export interface Database {
  db: Db;
  /** Runs `work` in one transaction: all of it is stored, or none. */
  transaction: <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, safe to print: never a password. */
  where: string;
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/** Start-up failed for a reason worth printing as is; the message names no secret. */
export class DatabaseStartError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DatabaseStartError';
  }
}

export const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

export function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return reason(error.errors[0]);
  if (error instanceof Error)
    return 'code' in error && typeof error.code === 'string' && !error.message.includes(error.code) ? `${error.code} ${error.message}` : error.message;
  return String(error);
}
