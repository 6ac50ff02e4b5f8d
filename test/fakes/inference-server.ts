import { setMaxListeners } from 'node:events';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultReply } from './default-replies.js';
import { checkTaskRequest, type HfTask } from './hf-task-requests.js';
import { rewritingFetch } from './hosted-fetch.js';
import type { Reply } from './inference-replies.js';
import { hubMappingBody, resolveRoute, SERVED_MODEL, type ModelSetup, type ScriptRoute } from './inference-routes.js';
import { writeReply } from './reply-writer.js';
import { checkChatRequest } from './tgi-openapi.js';

export { reply } from './inference-replies.js';
export { SERVED_MODEL } from './inference-routes.js';
export type { ChatOptions, ChatPiece, RawOptions, Reply, StreamEnd, ToolCallSpec, Usage } from './inference-replies.js';
export type { HfTask } from './hf-task-requests.js';
export type { ModelSetup, ScriptRoute } from './inference-routes.js';

export interface RecordedRequest {
  method: string;
  /** Path and query as received, e.g. `/api/models/org/name?expand[]=inferenceProviderMapping`. */
  path: string;
  /** Lower-case names; repeated headers joined with ', '. */
  headers: Record<string, string>;
  /** Parsed JSON for JSON requests, the raw bytes otherwise (also when JSON did not parse), undefined when empty. */
  body: unknown;
  /** Date.now() on arrival. */
  at: number;
  route: ScriptRoute | 'hub-mapping' | 'model-list' | 'unknown';
  /** The token of `Authorization: Bearer <token>`; the fake does not enforce one, tests assert it. */
  bearer: string | undefined;
}

export interface InvalidRequest {
  request: RecordedRequest;
  errors: string[];
  /** True when the fake refused the request (422 for a bad body, 404 for an unknown route or model); false for checks only recorded. */
  rejected: boolean;
}

export interface FakeInference {
  /** `http://127.0.0.1:<port>`: pass as `endpointUrl` for the self-hosted path. */
  url: string;
  /** Pass as the client's `fetch` for the hosted path: Hub and router URLs go to this fake. */
  hostedFetch: typeof fetch;
  requests: RecordedRequest[];
  /** Requests that broke a schema or a rule; tests assert it stays empty. */
  invalid: InvalidRequest[];
  /**
   * What the Hub mapping answers for `id`. The client caches mappings per model id for the life of
   * the process, so give each test its own model id rather than changing one's setup.
   */
  setModel(id: string, setup: ModelSetup): void;
  /** Queues replies for a route; each request takes the next one, an empty queue answers a default. */
  script(route: ScriptRoute, ...replies: Reply[]): void;
  /** Scripted replies not yet taken. */
  remaining(route: ScriptRoute): number;
  /** An `endpointUrl` for a non-chat task: the client posts those to endpointUrl itself. */
  taskEndpointUrl(task: HfTask): string;
  /** Closes the server, ending hanging and streaming responses too. */
  close(): Promise<void>;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  return flat;
}

async function readBytes(req: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

function parseBody(bytes: Uint8Array, contentType: string | undefined): { body: unknown; notJson: boolean } {
  if (bytes.byteLength === 0) return { body: undefined, notJson: false };
  if (!contentType?.startsWith('application/json')) return { body: bytes, notJson: false };
  try {
    return { body: JSON.parse(new TextDecoder().decode(bytes)) as unknown, notJson: false };
  } catch {
    return { body: bytes, notJson: true };
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Problems a real server may accept but the bot must not send; recorded, not refused. */
function chatWarnings(body: unknown): string[] {
  const model = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).model : undefined;
  if (typeof model !== 'string' || model === '') return ['(body) has no model: vLLM and the HF router need one'];
  // The client sends endpointUrl as the model when none is given.
  if (/^https?:\/\//.test(model)) return [`/model is a URL (${model}): the client was given no model`];
  return [];
}

export async function startFakeInference(): Promise<FakeInference> {
  const requests: RecordedRequest[] = [];
  const invalid: InvalidRequest[] = [];
  const models = new Map<string, Required<ModelSetup>>();
  const scripts = new Map<ScriptRoute, Reply[]>();
  const closing = new AbortController();
  // Every delayed or streaming reply listens for the close; a burst of them is not a leak.
  setMaxListeners(0, closing.signal);
  let sequence = 0;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = flattenHeaders(req.headers);
    const { body, notJson } = parseBody(await readBytes(req), headers['content-type']);
    const path = req.url ?? '/';
    const target = resolveRoute(req.method ?? 'GET', new URL(path, 'http://fake').pathname, models);
    const request: RecordedRequest = {
      method: req.method ?? 'GET',
      path,
      headers,
      body,
      at: Date.now(),
      route: target.route,
      bearer: /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1],
    };
    requests.push(request);

    if (target.route === 'unknown') {
      invalid.push({ request, errors: [target.reason], rejected: true });
      sendJson(res, target.status, { error: target.reason });
      return;
    }
    if (target.route === 'model-list') {
      sendJson(res, 200, { object: 'list', data: [{ id: SERVED_MODEL, object: 'model', owned_by: 'fake' }] });
      return;
    }
    if (target.route === 'hub-mapping') {
      const setup = models.get(target.modelId);
      if (setup) sendJson(res, 200, hubMappingBody(target.modelId, setup));
      else {
        invalid.push({ request, errors: [`model '${target.modelId}' is not set up (fake.setModel)`], rejected: true });
        sendJson(res, 404, { error: 'Repository not found' });
      }
      return;
    }

    const route = target.route;
    const errors = notJson ? ['(body) is not valid JSON'] : route === 'chat' ? checkChatRequest(body) : checkTaskRequest(route, body);
    if (errors.length > 0) {
      invalid.push({ request, errors, rejected: true });
      sendJson(res, 422, { error: `Input validation error: ${errors.join('; ')}`, error_type: 'validation' });
      return;
    }
    const warnings = route === 'chat' ? chatWarnings(body) : [];
    if (warnings.length > 0) invalid.push({ request, errors: warnings, rejected: false });

    const next = scripts.get(route)?.shift() ?? defaultReply(route, body);
    await writeReply(res, next, { body, sequence: ++sequence, closing: closing.signal });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: `fake inference server failed: ${String(error)}` });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    hostedFetch: rewritingFetch(url),
    requests,
    invalid,
    setModel(id, setup) {
      models.set(id, { provider: 'hf-inference', providerId: id, ...setup });
    },
    script(route, ...replies) {
      scripts.set(route, [...(scripts.get(route) ?? []), ...replies]);
    },
    remaining: (route) => scripts.get(route)?.length ?? 0,
    taskEndpointUrl: (task) => `${url}/endpoint/${task}`,
    async close() {
      closing.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
