import { ModelHttpError } from './errors.js';

const MAX_ERROR_BODY = 2000;

/**
 * The fetch given to the inference client. An error status becomes a ModelHttpError carrying the
 * status and Retry-After (the client's own errors drop the headers), so the retry policy here,
 * not the client's, decides what happens next; the client never sees a 503 to retry on its own.
 */
export function modelFetch(base: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init);
    if (response.ok) return response;
    const body = (await response.text().catch(() => '')).slice(0, MAX_ERROR_BODY);
    throw new ModelHttpError(response.status, retryAfterMs(response.headers.get('retry-after')), body, hostOf(input));
  };
}

/** Retry-After is seconds or an HTTP date. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function hostOf(input: Parameters<typeof fetch>[0]): string {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}
