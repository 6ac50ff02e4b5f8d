import { InferenceClient, type InferenceProviderOrPolicy } from '@huggingface/inference';
import type { ChatAnswer, ChatRequest, Usage } from '../core/models.js';
import { modelFetch } from './http.js';
import { answerFrom, chatBody, StreamedAnswer } from './openai-chat.js';

export interface AttemptOptions {
  signal: AbortSignal;
  onText?: (delta: string) => void;
}

export interface TextResult {
  text: string;
  usage?: Usage;
}

/** A model server reached over HTTP through @huggingface/inference: hosted or self-hosted. */
export interface RemoteProvider {
  readonly name: 'huggingface' | 'endpoint';
  chat: (model: string, request: ChatRequest, options: AttemptOptions) => Promise<ChatAnswer>;
  /** Task APIs; absent where the server speaks only chat (the task then goes through a chat model). */
  translate?: (model: string, input: { text: string; target: string; source?: string }, signal: AbortSignal) => Promise<TextResult>;
  summarize?: (model: string, text: string, signal: AbortSignal) => Promise<TextResult>;
  caption?: (model: string, image: { bytes: Uint8Array; mime: string }, signal: AbortSignal) => Promise<TextResult>;
}

/** Hugging Face Inference Providers, with HF_TOKEN; `fetch` is swapped only by tests. */
export function hostedProvider(options: { token: string; provider: InferenceProviderOrPolicy; fetch?: typeof fetch }): RemoteProvider {
  const client = new InferenceClient(options.token, { fetch: modelFetch(options.fetch ?? fetch), retry_on_error: false });
  const { provider } = options;
  return {
    name: 'huggingface',
    chat: (model, request, attempt) => chat(client, 'huggingface', model, request, attempt, { provider }),
    translate: async (model, input, signal) => {
      const parameters = { tgt_lang: input.target, ...(input.source ? { src_lang: input.source } : {}) };
      const result = await client.translation({ model, provider, inputs: input.text, parameters }, { signal });
      return { text: result.translation_text };
    },
    summarize: async (model, text, signal) => ({ text: (await client.summarization({ model, provider, inputs: text }, { signal })).summary_text }),
    caption: async (model, image, signal) => {
      const data = new Blob([new Uint8Array(image.bytes)], { type: image.mime });
      return { text: (await client.imageToText({ model, provider, data }, { signal })).generated_text ?? '' };
    },
  };
}

/**
 * A self-hosted OpenAI-compatible server (TGI, vLLM, Ollama, llama.cpp) at `url`. The model is
 * always named in the request (vLLM refuses a request without it); when none is configured, the
 * first one the server lists at /v1/models is used.
 */
export function endpointProvider(options: { url: string; token?: string; fetch?: typeof fetch }): RemoteProvider {
  const fetcher = modelFetch(options.fetch ?? fetch);
  const client = new InferenceClient(options.token ?? '', { endpointUrl: options.url, fetch: fetcher, retry_on_error: false });
  let served: Promise<string> | undefined;
  const servedModel = (signal: AbortSignal): Promise<string> => {
    served ??= listFirstModel(fetcher, options.url, options.token, signal).catch((error: unknown) => {
      served = undefined;
      throw error;
    });
    return served;
  };
  return {
    name: 'endpoint',
    chat: async (model, request, attempt) => chat(client, 'endpoint', model || (await servedModel(attempt.signal)), request, attempt, {}),
  };
}

async function chat(
  client: InferenceClient,
  providerName: RemoteProvider['name'],
  model: string,
  request: ChatRequest,
  attempt: AttemptOptions,
  routing: { provider?: InferenceProviderOrPolicy },
): Promise<ChatAnswer> {
  const body = { ...(await chatBody(model, request)), ...routing };
  if (!attempt.onText) return answerFrom(await client.chatCompletion(body, { signal: attempt.signal }), providerName, model);
  const streamed = new StreamedAnswer();
  for await (const chunk of client.chatCompletionStream({ ...body, stream_options: { include_usage: true } }, { signal: attempt.signal })) {
    const delta = streamed.add(chunk);
    if (delta) attempt.onText(delta);
  }
  return streamed.answer(providerName, model);
}

async function listFirstModel(fetcher: typeof fetch, url: string, token: string | undefined, signal: AbortSignal): Promise<string> {
  const response = await fetcher(new URL('v1/models', url.endsWith('/') ? url : `${url}/`), {
    signal,
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const listed = (await response.json()) as { data?: Array<{ id?: unknown }> };
  const id = listed.data?.[0]?.id;
  if (typeof id !== 'string' || !id) throw new Error(`${url}/v1/models lists no model`);
  return id;
}
