/** A model server answered with an error status; `retryAfterMs` is its Retry-After, when it sent one. */
export class ModelHttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs: number | undefined,
    readonly body: string,
    readonly host: string,
  ) {
    super(`model server ${host} answered ${status}: ${body.slice(0, 300)}`);
    this.name = 'ModelHttpError';
  }

  get retryable(): boolean {
    return this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

/** A single attempt ran past its time limit. */
export class ModelTimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'ModelTimeoutError';
  }
}

/** Worth another try at the same model: rate limits, server errors, timeouts, lost connections. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ModelHttpError) return error.retryable;
  if (error instanceof ModelTimeoutError) return true;
  // fetch rejects with a TypeError whose cause is the socket error when a connection fails.
  return error instanceof TypeError && /fetch failed|terminated|socket/i.test(error.message);
}
