import { configuredChains, type Config } from '../config.js';
import type { Log } from '../core/log.js';
import { TextReader } from './local/ocr.js';
import { ModelService } from './model-service.js';
import { describePlan, planModels } from './plan.js';
import { endpointProvider, hostedProvider } from './remote-provider.js';

export interface ModelSetup {
  models: ModelService;
  /** "chat: huggingface:… -> …", one line per task, for the start-up message. */
  summary: string[];
}

/** Builds the model service from the configuration; `fetch` is replaced only by tests. */
export function createModels(config: Config, log: Log, fetch: typeof globalThis.fetch = globalThis.fetch): ModelSetup {
  const plan = planModels({ hfToken: Boolean(config.HF_TOKEN), endpointUrl: Boolean(config.MODEL_ENDPOINT_URL), chains: configuredChains(config) });
  const engines = {
    ...(config.HF_TOKEN ? { huggingface: hostedProvider({ token: config.HF_TOKEN, provider: config.HF_PROVIDER, fetch }) } : {}),
    ...(config.MODEL_ENDPOINT_URL
      ? {
          endpoint: endpointProvider({ url: config.MODEL_ENDPOINT_URL, fetch, ...(config.MODEL_ENDPOINT_TOKEN ? { token: config.MODEL_ENDPOINT_TOKEN } : {}) }),
        }
      : {}),
  };
  const policy = { retries: config.MODEL_RETRIES, timeoutMs: config.MODEL_TIMEOUT_SECONDS * 1000, baseDelayMs: 250, maxDelayMs: 10_000 };
  return { models: new ModelService(plan, engines, policy, log, new TextReader()), summary: describePlan(plan) };
}
