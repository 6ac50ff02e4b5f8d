import type { HfTask } from './hf-task-requests.js';

/** Routes that answer scripted replies. */
export type ScriptRoute = 'chat' | HfTask;

export interface ModelSetup {
  /** What the Hub mapping says the model does; 'conversational' serves chat through the provider. */
  task: HfTask | 'conversational';
  /** Defaults to 'hf-inference', the only provider whose task routes the fake serves. */
  provider?: string;
  /** The id on the provider's side; defaults to the HF model id. */
  providerId?: string;
}

export type ResolvedRoute =
  { route: 'hub-mapping'; modelId: string } | { route: 'model-list' } | { route: ScriptRoute } | { route: 'unknown'; status: number; reason: string };

/** The model an OpenAI-compatible server lists at GET /v1/models, as TGI lists the one it serves. */
export const SERVED_MODEL = 'fake-org/fake-served-model';

const HF_TASKS: readonly string[] = ['translation', 'summarization', 'image-to-text'] satisfies HfTask[];

function isHfTask(value: string): value is HfTask {
  return HF_TASKS.includes(value);
}

/**
 * Maps a request to what the fake serves, by the URLs @huggingface/inference 4 builds:
 * - GET  /api/models/<id>?expand[]=inferenceProviderMapping   Hub mapping (hosted, non-auto-chat tasks)
 * - POST .../v1/chat/completions                              chat: the router's auto route, a provider's
 *                                                              (`/hf-inference/models/<id>/v1/...`), or endpointUrl's
 * - POST /hf-inference/models/<providerId>                     hf-inference task, by the model's mapping
 * - POST /endpoint/<task>                                      a task endpoint: non-chat tasks post to endpointUrl itself
 */
export function resolveRoute(method: string, pathname: string, models: ReadonlyMap<string, Required<ModelSetup>>): ResolvedRoute {
  const hubModel = /^\/api\/models\/(.+)$/.exec(pathname)?.[1];
  if (method === 'GET' && hubModel !== undefined) return { route: 'hub-mapping', modelId: decodeURIComponent(hubModel) };
  if (method === 'GET' && pathname.endsWith('/v1/models')) return { route: 'model-list' };
  if (method !== 'POST') return { route: 'unknown', status: 404, reason: `no route for ${method} ${pathname}` };
  if (pathname.endsWith('/v1/chat/completions')) return { route: 'chat' };

  const endpointTask = /^\/endpoint\/([^/]+)$/.exec(pathname)?.[1];
  if (endpointTask !== undefined) {
    return isHfTask(endpointTask) ? { route: endpointTask } : { route: 'unknown', status: 404, reason: `no task endpoint for '${endpointTask}'` };
  }

  const providerModel = /^\/hf-inference\/models\/(.+)$/.exec(pathname)?.[1];
  if (providerModel === undefined) return { route: 'unknown', status: 404, reason: `no route for POST ${pathname}` };
  const providerId = decodeURIComponent(providerModel);
  const setup = [...models.values()].find((model) => model.provider === 'hf-inference' && model.providerId === providerId);
  if (!setup) return { route: 'unknown', status: 404, reason: `model '${providerId}' is not set up on hf-inference (fake.setModel)` };
  if (setup.task === 'conversational')
    return { route: 'unknown', status: 404, reason: `'${providerId}' is conversational: chat posts to .../v1/chat/completions` };
  return { route: setup.task };
}

/** The Hub's answer to `GET /api/models/<id>?expand[]=inferenceProviderMapping` (its current array form). */
export function hubMappingBody(modelId: string, setup: Required<ModelSetup>): object {
  return {
    _id: `fake-${modelId}`,
    id: modelId,
    inferenceProviderMapping: [{ provider: setup.provider, providerId: setup.providerId, hfModelId: modelId, status: 'live', task: setup.task }],
  };
}
