/**
 * A failure the user caused or can act on. Its message is written for the user and is safe to
 * show; `cause` and `detail` are for the log line only.
 */
export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly detail: Record<string, unknown> | undefined;

  constructor(code: UserErrorCode, userMessage: string, options: { cause?: unknown; detail?: Record<string, unknown> } = {}) {
    super(userMessage, { cause: options.cause });
    this.name = 'UserError';
    this.code = code;
    this.detail = options.detail;
  }
}

export type UserErrorCode =
  | 'empty_message'
  | 'text_too_long'
  | 'file_too_large'
  | 'too_many_files'
  | 'unsupported_file'
  | 'unreadable_file'
  | 'invalid_input'
  | 'unknown_command'
  | 'nothing_to_summarize'
  | 'nothing_to_translate'
  | 'unknown_language'
  | 'empty_question'
  | 'no_image'
  | 'nothing_to_chart'
  | 'too_much_data'
  | 'rate_limited'
  | 'busy'
  | 'no_model'
  | 'model_unavailable'
  | 'timeout';

/** The store could not be reached or failed; nothing from the failed call was kept. */
export class StoreUnavailableError extends Error {
  readonly code = 'store_unavailable';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export const STORE_UNAVAILABLE_TEXT = "I can't reach my database right now, so I couldn't take that message. Please try again in a moment.";

/** A short reference that ties the generic reply a user sees to the full log line. */
export function errorRef(): string {
  return globalThis.crypto.randomUUID().slice(0, 8);
}

export function internalErrorText(ref: string): string {
  return `Something went wrong on my side (ref ${ref}). It has been logged.`;
}
