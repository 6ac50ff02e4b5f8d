import { StoreUnavailableError } from '../core/errors.js';

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
/** SQLSTATE classes and codes that mean the server is away or shutting down, not that the query is wrong. */
const SERVER_AWAY = /^(08|53|57P0[1-3])/;
const MESSAGES =
  /connection terminated|connection timeout|timeout exceeded when trying to connect|client has encountered a connection error|pglite is closed|cannot use a pool after calling end|not queryable/i;

function isConnectionFailure(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    const code = 'code' in current && typeof current.code === 'string' ? current.code : '';
    if (CONNECTION_CODES.has(code) || SERVER_AWAY.test(code) || MESSAGES.test(current.message)) return true;
    if (current instanceof AggregateError && current.errors.some(isConnectionFailure)) return true;
  }
  return false;
}

/** Runs a store call; a lost or refused connection becomes StoreUnavailableError, anything else is rethrown. */
export async function guarded<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isConnectionFailure(error)) throw new StoreUnavailableError(`database unavailable during ${what}`, { cause: error });
    throw error;
  }
}
