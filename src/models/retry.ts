import { isRetryable, ModelHttpError, ModelTimeoutError } from './errors.js';

export interface RetryPolicy {
  /** Further attempts after the first. */
  retries: number;
  /** Time limit of one attempt. */
  timeoutMs: number;
  baseDelayMs: number;
  /** A Retry-After longer than this is not waited for: the next model in the chain is tried instead. */
  maxDelayMs: number;
}

/**
 * Runs `attempt` until it succeeds, with a time limit on each try and backoff between tries on
 * errors worth retrying; `mayRetry` says whether a failed attempt can be repeated (a stream that
 * already showed text cannot). Aborting `signal` stops at once.
 */
export async function withRetries<T>(
  attempt: (signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  signal: AbortSignal,
  mayRetry: () => boolean = () => true,
): Promise<T> {
  for (let tries = 0; ; tries++) {
    try {
      return await withTimeout(attempt, policy.timeoutMs, signal);
    } catch (error) {
      if (signal.aborted || tries >= policy.retries || !isRetryable(error) || !mayRetry()) throw error;
      const delay = backoff(error, tries, policy);
      if (delay === undefined) throw error;
      await sleep(delay, signal);
    }
  }
}

function backoff(error: unknown, tries: number, policy: RetryPolicy): number | undefined {
  if (error instanceof ModelHttpError && error.retryAfterMs !== undefined) {
    return error.retryAfterMs <= policy.maxDelayMs ? error.retryAfterMs : undefined;
  }
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** tries);
  return exponential / 2 + Math.random() * (exponential / 2);
}

/** Gives up on an attempt at its time limit or the caller's abort, even one that ignores its signal. */
function withTimeout<T>(attempt: (signal: AbortSignal) => Promise<T>, ms: number, outer: AbortSignal): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const stop = (reason: unknown) => {
      controller.abort(reason);
      reject(reason instanceof Error ? reason : new Error('aborted'));
    };
    const onAbort = () => stop(outer.reason);
    const timer = setTimeout(() => stop(new ModelTimeoutError(ms)), ms);
    if (outer.aborted) onAbort();
    outer.addEventListener('abort', onAbort, { once: true });
    attempt(controller.signal)
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        outer.removeEventListener('abort', onAbort);
      });
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
