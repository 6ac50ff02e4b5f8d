import { Hono, type Context } from 'hono';
import type { MessageLimits } from '../../core/checks.js';
import type { StoredFile, StoredMessage } from '../../core/history.js';
import type { Log } from '../../core/log.js';
import { toolOptions, usage } from '../../core/options.js';
import type { Pipeline } from '../../core/pipeline.js';
import type { ToolRegistry } from '../../core/registry.js';
import { limitBody } from './body-limit.js';
import { HttpError, respondWithError } from './http-errors.js';
import { loadPageAssets, PAGE_HEADERS } from './page.js';
import { CONVERSATION_ID, conversationKey } from './parse.js';
import { postMessage } from './post-message.js';
import { renderMessage } from './render.js';

export interface WebStore {
  conversationExists(key: string): Promise<boolean>;
  list(key: string, options: { limit: number; before?: string }): Promise<StoredMessage[]>;
  file(id: string): Promise<StoredFile | undefined>;
  message(conversation: string, id: string): Promise<StoredMessage | undefined>;
}

export interface WebDeps {
  pipeline: Pick<Pipeline, 'handle'>;
  store: WebStore;
  registry: ToolRegistry;
  ping: () => Promise<void>;
  log: Log;
  limits: MessageLimits;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HEALTH_TIMEOUT_MS = 2000;
/** Room for multipart framing and the text fields around the files. */
const FORM_OVERHEAD = 1_048_576;
/**
 * A request is buffered whole, so it is capped at two files' worth; up to that, a file over the
 * cap is refused by name with the per-file limit, which says more than a bare size error.
 */
const FILES_PER_REQUEST_BUFFER = 2;

/** The local chat page and its JSON API, over the same pipeline as every platform. */
export function createWebApp(deps: WebDeps): Hono {
  const { pipeline, store, registry, log, limits } = deps;
  const app = new Hono();
  app.onError((error, c) => respondWithError(c, error, log));
  app.notFound((c) => c.json({ error: { code: 'not_found', message: 'There is nothing at this address.' } }, 404));

  for (const asset of loadPageAssets()) app.get(asset.path, (c) => c.body(asset.body, 200, { 'Content-Type': asset.type, ...PAGE_HEADERS }));

  app.get('/healthz', async (c) => {
    try {
      await withTimeout(deps.ping(), HEALTH_TIMEOUT_MS);
      return c.json({ status: 'ok' });
    } catch (error) {
      log.warn({ err: error }, 'health check: database not answering');
      return c.json({ status: 'unavailable', error: { code: 'store_unavailable', message: 'The database is not answering.' } }, 503);
    }
  });

  app.get('/api/tools', (c) =>
    c.json({
      tools: registry
        .list()
        .map((tool) => ({ name: tool.name, description: tool.description, usage: usage(tool), options: toolOptions(tool), accepts: tool.accepts })),
    }),
  );

  const maxBody = limits.maxFileBytes * FILES_PER_REQUEST_BUFFER + FORM_OVERHEAD;
  app.post(
    '/api/messages',
    limitBody({
      maxSize: maxBody,
      onError: (c) => {
        // The rest of the body is never read, so the connection cannot carry another request.
        c.header('Connection', 'close');
        return respondWithError(c, new HttpError(413, 'request_too_large', `The upload is over ${Math.floor(maxBody / 1_048_576)} MB in all.`), log);
      },
    }),
    (c) => postMessage(c, { pipeline, store, log }),
  );

  app.get('/api/conversations/:id/messages', async (c) => {
    const id = c.req.param('id');
    if (!CONVERSATION_ID.test(id)) throw new HttpError(400, 'invalid_conversation_id', 'A conversation id is 1-64 letters, digits, _ or -.');
    const limit = Math.min(Math.max(Number(c.req.query('limit') ?? 200) || 200, 1), 500);
    const before = c.req.query('before');
    if (before !== undefined && !/^\d{1,18}$/.test(before)) throw new HttpError(400, 'invalid_cursor', '`before` must be a message id.');
    if (!(await store.conversationExists(conversationKey(id)))) throw new HttpError(404, 'conversation_not_found', 'There is no conversation with that id.');
    const messages = await store.list(conversationKey(id), { limit, ...(before ? { before } : {}) });
    return c.json({ conversation: id, messages: messages.map(renderMessage) });
  });

  app.get('/api/files/:id', async (c) => {
    const id = c.req.param('id');
    const file = UUID.test(id) ? await store.file(id) : undefined;
    if (!file) throw new HttpError(404, 'file_not_found', 'There is no file with that id.');
    return sendFile(c, file);
  });

  return app;
}

/** Raster images show inline; anything else (SVG included, which can carry script) downloads. */
function sendFile(c: Context, file: StoredFile): Response {
  const inline = /^image\/(png|jpeg|gif|webp|avif)$/.test(file.mime);
  return c.body(new Uint8Array(file.bytes), 200, {
    'Content-Type': inline ? file.mime : 'application/octet-stream',
    'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'Content-Security-Policy': "default-src 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'private, max-age=86400, immutable',
  });
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}
