import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { STORE_UNAVAILABLE_TEXT, StoreUnavailableError, UserError, errorRef, internalErrorText, type UserErrorCode } from '../../core/errors.js';
import type { Log } from '../../core/log.js';

/** An error of the HTTP surface itself (bad JSON, unknown id), with the status it answers with. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

const STATUS: Record<UserErrorCode, ContentfulStatusCode> = {
  empty_message: 400,
  invalid_input: 400,
  unknown_command: 400,
  nothing_to_summarize: 400,
  no_image: 400,
  text_too_long: 413,
  file_too_large: 413,
  too_many_files: 413,
  unsupported_file: 415,
  unreadable_file: 422,
  rate_limited: 429,
  busy: 429,
  timeout: 504,
};

/** The one error sink of the web surface: users get `{error: {code, message}}`, the operator the log line. */
export function respondWithError(c: Context, error: unknown, log: Log): Response {
  if (error instanceof HttpError) return c.json({ error: { code: error.code, message: error.message } }, error.status);
  if (error instanceof UserError) {
    const retryAfterMs = error.detail?.['retryAfterMs'];
    if (typeof retryAfterMs === 'number') c.header('Retry-After', String(Math.ceil(retryAfterMs / 1000)));
    log.info({ code: error.code, detail: error.detail, path: c.req.path }, 'request refused');
    return c.json({ error: { code: error.code, message: error.message } }, STATUS[error.code]);
  }
  if (error instanceof StoreUnavailableError) {
    log.error({ err: error, path: c.req.path }, 'database unavailable');
    return c.json({ error: { code: error.code, message: STORE_UNAVAILABLE_TEXT } }, 503);
  }
  const ref = errorRef();
  log.error({ err: error, ref, path: c.req.path }, 'request failed');
  return c.json({ error: { code: 'internal', message: internalErrorText(ref) } }, 500);
}
