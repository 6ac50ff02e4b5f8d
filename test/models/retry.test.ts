import { describe, expect, it } from 'vitest';
import { ModelHttpError, ModelTimeoutError } from '../../src/models/errors.js';
import { retryAfterMs } from '../../src/models/http.js';
import { withRetries } from '../../src/models/retry.js';

const policy = { retries: 2, timeoutMs: 200, baseDelayMs: 1, maxDelayMs: 50 };
const never = new AbortController().signal;

function failing(errors: Error[], value = 'ok') {
  const calls: AbortSignal[] = [];
  const attempt = (signal: AbortSignal) => {
    calls.push(signal);
    const error = errors.shift();
    return error === undefined ? Promise.resolve(value) : Promise.reject(error);
  };
  return { attempt, calls };
}

describe('withRetries', () => {
  it('retries rate limits and server errors, then succeeds', async () => {
    const { attempt, calls } = failing([new ModelHttpError(503, undefined, '', 'h'), new ModelHttpError(429, 0, '', 'h')]);
    await expect(withRetries(attempt, policy, never)).resolves.toBe('ok');
    expect(calls).toHaveLength(3);
  });

  it('gives up after the bounded number of retries', async () => {
    const { attempt, calls } = failing([500, 500, 500, 500].map((status) => new ModelHttpError(status, undefined, '', 'h')));
    await expect(withRetries(attempt, policy, never)).rejects.toMatchObject({ status: 500 });
    expect(calls).toHaveLength(3);
  });

  it('does not retry what another try cannot fix', async () => {
    const { attempt, calls } = failing([new ModelHttpError(400, undefined, 'bad request', 'h')]);
    await expect(withRetries(attempt, policy, never)).rejects.toMatchObject({ status: 400 });
    expect(calls).toHaveLength(1);
  });

  it('moves on rather than wait out a Retry-After longer than it allows', async () => {
    const { attempt, calls } = failing([new ModelHttpError(429, 60_000, '', 'h')]);
    await expect(withRetries(attempt, policy, never)).rejects.toMatchObject({ status: 429 });
    expect(calls).toHaveLength(1);
  });

  it('waits at least the Retry-After it was given', async () => {
    const { attempt } = failing([new ModelHttpError(429, 40, '', 'h')]);
    const started = Date.now();
    await withRetries(attempt, policy, never);
    expect(Date.now() - started).toBeGreaterThanOrEqual(39);
  });

  it('aborts an attempt at its time limit and tries again', async () => {
    let tries = 0;
    const attempt = (signal: AbortSignal) =>
      new Promise<string>((resolve, reject) => {
        tries++;
        if (tries === 2) resolve('second');
        signal.addEventListener('abort', () => reject(new Error('aborted')));
      });
    await expect(withRetries(attempt, { ...policy, timeoutMs: 20 }, never)).resolves.toBe('second');
    await expect(withRetries(() => new Promise<string>(() => undefined), { ...policy, retries: 0, timeoutMs: 20 }, never)).rejects.toBeInstanceOf(
      ModelTimeoutError,
    );
  });

  it('does not repeat an attempt that may not be repeated', async () => {
    const { attempt, calls } = failing([new ModelHttpError(503, undefined, '', 'h')]);
    await expect(withRetries(attempt, policy, never, () => false)).rejects.toMatchObject({ status: 503 });
    expect(calls).toHaveLength(1);
  });

  it('stops at once when the caller gives up', async () => {
    const caller = new AbortController();
    const { attempt, calls } = failing([new ModelHttpError(503, 30, '', 'h')]);
    const pending = withRetries(attempt, policy, caller.signal);
    caller.abort(new Error('user left'));
    await expect(pending).rejects.toThrow();
    expect(calls).toHaveLength(1);
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
