import { UserError } from '../core/errors.js';
import type { Log } from '../core/log.js';
import type { CallOptions, ChatAnswer, ChatRequest, Models, ModelTask, Passage, Served } from '../core/models.js';
import { prepareImage } from '../images/prepare.js';
import { summarizeExtractive } from './local/extractive-summarizer.js';
import { detectLanguage } from './local/language.js';
import type { TextReader } from './local/ocr.js';
import { describeEntry, type ChainEntry, type ModelPlan } from './plan.js';
import { captionMessages, CHAT_SUMMARY_CHARS, summarizeMessages, transcript, translateMessages } from './prompts.js';
import type { RemoteProvider } from './remote-provider.js';
import { withRetries, type RetryPolicy } from './retry.js';
import { summarizeInParts } from './summary-parts.js';

export interface Engines {
  huggingface?: RemoteProvider;
  endpoint?: RemoteProvider;
}

type TextServed = Served & { text: string };

/** Summarization models (BART, Pegasus) read about 1,024 tokens; more is cut off or refused. */
const SUMMARIZATION_MODEL_CHARS = 3_000;

const TASK_NAMES: Record<ModelTask, string> = { chat: 'chat', translate: 'translation', summarize: 'summary', caption: 'image caption' };

/** Every model of a task's chain failed; the next chain link (if any) is tried. */
class ModelUnavailableError extends UserError {
  constructor(task: ModelTask, tried: string[]) {
    super('model_unavailable', `The ${TASK_NAMES[task]} model isn't answering right now (tried ${tried.join(', ')}). Try again in a minute.`);
  }
}

/** How each kind of chain entry runs a task. */
interface Runners<T> {
  remote: (provider: RemoteProvider, model: string, signal: AbortSignal) => Promise<T>;
  chat?: () => Promise<T>;
  local?: () => Promise<T>;
}

/**
 * Serves each task from its chain: each link in order, each remote call with a time limit and
 * bounded retries, the next link when one fails. A task with no chain answers with what to set.
 */
export class ModelService implements Models {
  constructor(
    private readonly plan: ModelPlan,
    private readonly engines: Engines,
    private readonly policy: RetryPolicy,
    private readonly log: Log,
    private readonly reader: TextReader,
  ) {}

  /** Ends the OCR worker thread, which otherwise keeps the process alive. */
  close(): Promise<void> {
    return this.reader.close();
  }

  async readText(input: { image: Uint8Array }, options: Pick<CallOptions, 'signal'>): Promise<string | undefined> {
    try {
      return (await this.reader.read(input.image, { signal: options.signal }))?.text;
    } catch (error) {
      if (options.signal.aborted) throw error;
      this.log.info({ err: error }, 'no text read from an image');
      return undefined;
    }
  }

  has(task: ModelTask): boolean {
    return this.plan[task].length > 0;
  }

  chat(request: ChatRequest, options: CallOptions): Promise<ChatAnswer> {
    let streamed = false;
    const onText = options.onText;
    const attemptOptions = onText
      ? {
          onText: (delta: string) => {
            streamed = true;
            onText(delta);
          },
        }
      : {};
    return this.#walk('chat', options, { remote: (provider, model, signal) => provider.chat(model, request, { signal, ...attemptOptions }) }, () => streamed);
  }

  translate(request: { text: string; target: string; source?: string }, options: CallOptions): Promise<TextServed> {
    // Translation models want the source language; it is found here when the caller did not say.
    const detected = request.source ?? detectLanguage(request.text).code;
    const input = detected === 'unknown' ? request : { ...request, source: detected };
    return this.#walk('translate', options, {
      remote: async (provider, model, signal) => served(provider, model, await required(provider.translate, 'translate')(model, input, signal)),
      chat: async () => textOf(await this.chat({ messages: translateMessages(input) }, { signal: options.signal })),
    });
  }

  summarize(input: { passages: Passage[]; points: number }, options: CallOptions): Promise<TextServed> {
    return this.#walk('summarize', options, {
      remote: (provider, model, signal) =>
        summarizeInParts(input.passages, input.points, SUMMARIZATION_MODEL_CHARS, async (passages) =>
          served(provider, model, await required(provider.summarize, 'summarize')(model, transcript(passages), signal)),
        ),
      chat: () =>
        summarizeInParts(input.passages, input.points, CHAT_SUMMARY_CHARS, async (passages, points) =>
          textOf(await this.chat({ messages: summarizeMessages(passages, points) }, { signal: options.signal })),
        ),
      local: () => {
        const picked = summarizeExtractive(input.passages, input.points);
        const text = picked.map(({ speaker, sentence }) => (speaker ? `- **${speaker}**: ${sentence}` : `- ${sentence}`)).join('\n');
        return Promise.resolve({ provider: 'local', model: 'extractive', text });
      },
    });
  }

  async caption(input: { image: Uint8Array; mime: string; prompt?: string }, options: CallOptions): Promise<TextServed> {
    // Every link of the chain is sent the image prepared once, image-to-text models as chat models.
    const prepared = await prepareImage(input.image);
    const image = { bytes: prepared.bytes, mime: prepared.mime };
    return this.#walk('caption', options, {
      remote: async (provider, model, signal) => served(provider, model, await required(provider.caption, 'caption')(model, image, signal)),
      chat: async () => textOf(await this.chat({ messages: captionMessages(image, input.prompt) }, { signal: options.signal })),
    });
  }

  /** `streamed`: whether the user has seen part of an answer already (only chat streams). */
  async #walk<T extends Served>(task: ModelTask, options: CallOptions, runners: Runners<T>, streamed: () => boolean = () => false): Promise<T> {
    const chain = this.plan[task];
    if (chain.length === 0) throw noModel(task);
    const tried: string[] = [];
    for (const entry of chain) {
      try {
        return await this.#run(entry, options.signal, streamed, runners);
      } catch (error) {
        // When the caller gave up, or the user already saw part of this model's answer, another model cannot help.
        if (options.signal.aborted || (error instanceof UserError && !(error instanceof ModelUnavailableError))) throw error;
        if (streamed()) throw new UserError('model_unavailable', 'The model stopped in the middle of its answer. Please try again.', { cause: error });
        tried.push(describeEntry(entry));
        this.log.warn({ task, model: describeEntry(entry), err: error }, 'model failed; trying the next in the chain');
      }
    }
    throw new ModelUnavailableError(task, tried);
  }

  #run<T extends Served>(entry: ChainEntry, signal: AbortSignal, streamed: () => boolean, runners: Runners<T>): Promise<T> {
    switch (entry.kind) {
      case 'chat':
        return required(runners.chat, 'chat')();
      case 'local':
        return required(runners.local, 'local')();
      case 'huggingface':
      case 'endpoint': {
        const provider = required(this.engines[entry.kind], entry.kind);
        return withRetries(
          (attempt) => runners.remote(provider, entry.model, attempt),
          this.policy,
          signal,
          () => !streamed(),
        );
      }
    }
  }
}

function served(provider: RemoteProvider, model: string, result: { text: string; usage?: Served['usage'] }): TextServed {
  return textOf({ provider: provider.name, model, text: result.text, ...(result.usage ? { usage: result.usage } : {}) });
}

/** An empty translation, summary or caption is a failure of that model: the next one is asked. */
function textOf(answer: TextServed): TextServed {
  if (!answer.text.trim()) throw new Error(`${answer.provider}:${answer.model} answered with nothing`);
  return { provider: answer.provider, model: answer.model, text: answer.text.trim(), ...(answer.usage ? { usage: answer.usage } : {}) };
}

/** The plan is validated against the engines at start-up, so a missing one is a bug here. */
function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} engine for this chain entry`);
  return value;
}

function noModel(task: ModelTask): UserError {
  const setting = `MODEL_${task.toUpperCase()}`;
  return new UserError(
    'no_model',
    `No model is set up for ${TASK_NAMES[task]}s here. An operator can set HF_TOKEN (hosted models), MODEL_ENDPOINT_URL (a self-hosted GPU server), or ${setting}.`,
  );
}
