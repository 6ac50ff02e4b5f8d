import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

export interface BodyLimitOptions {
  maxSize: number;
  onError: (c: Context) => Response | Promise<Response>;
}

/**
 * hono's bodyLimit, without its cost for a body of declared length. It looks at `raw.body` first,
 * which makes @hono/node-server build a web Request and later stream the body through web streams,
 * a third of a small JSON request's CPU. A Content-Length is checked from the header alone (Node's
 * parser never reads past it), so the body is read straight from the socket; only a chunked body
 * is counted as it streams.
 */
export function limitBody(options: BodyLimitOptions): MiddlewareHandler {
  const streamed = bodyLimit(options);
  return async (c, next) => {
    const declared = c.req.header('content-length');
    if (declared === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(declared) > options.maxSize) return options.onError(c);
    await next();
    return undefined;
  };
}
