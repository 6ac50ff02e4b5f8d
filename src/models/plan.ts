import type { ModelTask } from '../core/models.js';

/**
 * One link of a task's fallback chain:
 * - `huggingface:<model>`: Hugging Face Inference Providers (HF_TOKEN);
 * - `endpoint:<model>`: the self-hosted OpenAI-compatible server at MODEL_ENDPOINT_URL
 *   (`endpoint:` alone: the model the server serves);
 * - `chat`: the chat chain, asked with a prompt for the task (translate, summarize, caption);
 * - `local`: the in-process engine (summarize only).
 */
export type ChainEntry = { kind: 'huggingface'; model: string } | { kind: 'endpoint'; model: string } | { kind: 'chat' } | { kind: 'local' };

export type ModelPlan = Record<ModelTask, ChainEntry[]>;

export const TASKS: readonly ModelTask[] = ['chat', 'translate', 'summarize', 'caption'];

/** Multimodal, with function calling, served by several Inference Providers. */
export const DEFAULT_HF_CHAT_MODEL = 'meta-llama/Llama-4-Scout-17B-16E-Instruct';

export interface PlanSettings {
  hfToken: boolean;
  endpointUrl: boolean;
  /** MODEL_CHAT, MODEL_TRANSLATE, …: a comma-separated chain, or undefined for the default. */
  chains: Partial<Record<ModelTask, string>>;
}

/** Reads one chain; throws an Error whose message says what is wrong with it. */
export function parseChain(task: ModelTask, text: string, settings: Pick<PlanSettings, 'hfToken' | 'endpointUrl'>): ChainEntry[] {
  const entries = text
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new Error('is empty');
  return entries.map((part) => {
    const colon = part.indexOf(':');
    const name = (colon < 0 ? part : part.slice(0, colon)).toLowerCase();
    const model = colon < 0 ? '' : part.slice(colon + 1).trim();
    switch (name) {
      case 'huggingface':
        if (!settings.hfToken) throw new Error(`"${part}" needs HF_TOKEN`);
        if (!model) throw new Error(`"${part}" needs a model id, e.g. huggingface:${DEFAULT_HF_CHAT_MODEL}`);
        return { kind: 'huggingface', model };
      case 'endpoint':
        if (!settings.endpointUrl) throw new Error(`"${part}" needs MODEL_ENDPOINT_URL`);
        if (task !== 'chat') throw new Error(`"${part}": the endpoint speaks chat only; use "chat" to have the chat model do ${task}`);
        return { kind: 'endpoint', model };
      case 'chat':
        if (task === 'chat') throw new Error('"chat" cannot serve the chat task itself');
        return { kind: 'chat' };
      case 'local':
        if (task !== 'summarize') throw new Error(`there is no local model for ${task}`);
        return { kind: 'local' };
      default:
        throw new Error(`"${part}": unknown provider "${name}" (use huggingface:<model>, endpoint:<model>, chat or local)`);
    }
  });
}

/**
 * The chains in effect: what is configured, else defaults from what is available: the self-hosted
 * endpoint first (it is yours), then hosted models, then what runs in-process.
 */
export function planModels(settings: PlanSettings): ModelPlan {
  const remote: ChainEntry[] = [
    ...(settings.endpointUrl ? [{ kind: 'endpoint', model: '' } as const] : []),
    ...(settings.hfToken ? [{ kind: 'huggingface', model: DEFAULT_HF_CHAT_MODEL } as const] : []),
  ];
  const viaChat: ChainEntry[] = remote.length ? [{ kind: 'chat' }] : [];
  const defaults: ModelPlan = {
    chat: remote,
    translate: viaChat,
    summarize: [...viaChat, { kind: 'local' }],
    caption: viaChat,
  };
  return Object.fromEntries(
    TASKS.map((task) => [task, settings.chains[task] ? parseChain(task, settings.chains[task], settings) : defaults[task]]),
  ) as ModelPlan;
}

export function describeEntry(entry: ChainEntry): string {
  if (entry.kind === 'chat' || entry.kind === 'local') return entry.kind;
  return `${entry.kind}:${entry.model || '(the server’s model)'}`;
}

/** "chat: endpoint:(the server’s model) -> huggingface:…", one line per task, for start-up. */
export function describePlan(plan: ModelPlan): string[] {
  return TASKS.map((task) => `${task}: ${plan[task].length ? plan[task].map(describeEntry).join(' -> ') : 'not available (no model configured)'}`);
}
