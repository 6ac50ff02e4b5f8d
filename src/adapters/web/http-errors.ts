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
  nothing_to_translate: 400,
  unknown_language: 400,
  empty_question: 400,
  no_image: 400,
  nothing_to_chart: 400,
  text_too_long: 413,
  file_too_large: 413,
  too_many_files: 413,
  too_much_data: 413,
  unsupported_file: 415,
  unreadable_file: 422,
  rate_limited: 429,
  busy: 429,
  no_model: 501,
  model_unavailable: 503,
  timeout: 504,
};

export interface ErrorBody {
  error: { code: string; message: string };
}

interface Classified {
  status: ContentfulStatusCode;
  body: ErrorBody;
  retryAfterSeconds?: number;
}

/** What a failure is to the client (status, code, text for the user), logged for the operator. */
function classify(error: unknown, log: Log, path: string): Classified {
  if (error instanceof HttpError) return { status: error.status, body: { error: { code: error.code, message: error.message } } };
  if (error instanceof UserError) {
    log.info({ code: error.code, detail: error.detail, path }, 'request refused');
    const retryAfterMs = error.detail?.['retryAfterMs'];
    return {
      status: STATUS[error.code],
      body: { error: { code: error.code, message: error.message } },
      ...(typeof retryAfterMs === 'number' ? { retryAfterSeconds: Math.ceil(retryAfterMs / 1000) } : {}),
    };
  }
  if (error instanceof StoreUnavailableError) {
    log.error({ err: error, path }, 'database unavailable');
    return { status: 503, body: { error: { code: error.code, message: STORE_UNAVAILABLE_TEXT } } };
  }
  const ref = errorRef();
  log.error({ err: error, ref, path }, 'request failed');
  return { status: 500, body: { error: { code: 'internal', message: internalErrorText(ref) } } };
}

/** The one error sink of the web surface: users get `{error: {code, message}}`, the operator the log line. */
export function respondWithError(c: Context, error: unknown, log: Log): Response {
  const { status, body, retryAfterSeconds } = classify(error, log, c.req.path);
  if (retryAfterSeconds !== undefined) c.header('Retry-After', String(retryAfterSeconds));
  return c.json(body, status);
}

/** The same, for a failure after a streamed response has started and its status is sent. */
export function errorBody(error: unknown, log: Log, path: string): ErrorBody {
  return classify(error, log, path).body;
}
