import { checkInbound, type MessageLimits } from './checks.js';
import { StoreUnavailableError, UserError, errorRef, internalErrorText } from './errors.js';
import type { History, StoredMessage, ToolRunRecord } from './history.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Log } from './log.js';
import type { Inbound, Reply } from './message.js';
import type { RateLimiter } from './rate-limit.js';
import type { Redactor } from './redact.js';
import type { ToolRegistry } from './registry.js';
import type { Intent, Router } from './router.js';

export interface PipelineOptions extends MessageLimits {
  toolTimeoutMs: number;
  /** Messages of one conversation waiting their turn beyond this are refused as busy. */
  maxQueuedPerConversation: number;
}

export interface PipelineDeps {
  registry: ToolRegistry;
  router: Router;
  history: History;
  limiter: RateLimiter;
  redact: Redactor;
  log: Log;
  options: PipelineOptions;
  now?: () => number;
}

/** A reply as the adapter renders it; `id` is null for replies that were not stored. */
export type Outbound = Pick<StoredMessage, 'text' | 'attachments'> & { id: string | null };

export interface HandleResult {
  /** `duplicate`: the event was handled before; `replies` are the ones given then. */
  status: 'replied' | 'duplicate';
  messageId: string | null;
  replies: Outbound[];
}

interface Answer {
  replies: Reply[];
  run: ToolRunRecord | null;
  keep: boolean;
}

const MAX_LOGGED_INPUT_CHARS = 1000;

/**
 * One message in, its replies out: check -> rate limit -> (per conversation, in order) record
 * inbound, deduplicated by event id -> route -> run -> record replies and the tool run.
 * Errors before the message is stored are thrown (UserError for the user, StoreUnavailableError
 * when the database is away); errors after it become a reply that is stored like any other.
 */
export class Pipeline {
  readonly #queue = new KeyedQueue();
  readonly #now: () => number;

  constructor(private readonly deps: PipelineDeps) {
    this.#now = deps.now ?? performance.now.bind(performance);
  }

  handle(received: Inbound): Promise<HandleResult> {
    const { options, limiter, registry } = this.deps;
    const inbound = withoutNul(received);
    checkInbound(inbound, options, registry);
    const retryAfterMs = limiter.take(inbound.user.id);
    if (retryAfterMs > 0) {
      throw new UserError('rate_limited', `Slow down a little: I answer up to ${limiter.limitText}. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
        detail: { retryAfterMs },
      });
    }
    const key = inbound.conversation.key;
    if (this.#queue.depth(key) >= options.maxQueuedPerConversation) {
      limiter.refund(inbound.user.id);
      throw new UserError('busy', "I'm still working through earlier messages here. Try again in a moment.");
    }
    return this.#queue.run(key, () => this.#turn({ ...inbound, text: this.deps.redact(inbound.text) }));
  }

  async #turn(inbound: Inbound): Promise<HandleResult> {
    const { history, limiter } = this.deps;
    const record = await history.recordInbound(inbound);
    if (record.status === 'duplicate') {
      limiter.refund(inbound.user.id);
      return { status: 'duplicate', messageId: record.messageId, replies: record.messageId ? await history.repliesTo(record.messageId) : [] };
    }
    const answer = await this.#answer(inbound, record.messageId);
    const replies = answer.replies.map((reply) => (reply.type === 'text' ? { ...reply, text: this.deps.redact(reply.text) } : reply));
    if (!answer.keep) {
      this.deps.log.info({ conversation: inbound.conversation.key, run: answer.run }, 'replies sent without being stored');
      return {
        status: 'replied',
        messageId: null,
        replies: replies.map((reply) => ({ id: null, text: reply.type === 'text' ? reply.text : reply.alt, attachments: [] })),
      };
    }
    const stored = await history.recordOutbound({ conversation: inbound.conversation.key, replyTo: record.messageId, replies, run: answer.run });
    return { status: 'replied', messageId: record.messageId, replies: stored };
  }

  async #answer(inbound: Inbound, messageId: string): Promise<Answer> {
    const { router, history, log, options } = this.deps;
    const started = this.#now();
    // Not AbortSignal.timeout(): its timer and signal would outlive every message by the whole
    // timeout, and thousands of them surviving each young-generation GC made those GCs slow.
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), options.toolTimeoutMs);
    const { signal } = deadline;
    let intent: Intent | undefined;
    try {
      intent = await router.route(inbound, { messageId, signal });
      const output = await untilAborted(intent.tool.run(intent.input, { inbound, messageId, history, log, signal }), signal);
      return {
        replies: output.replies,
        run: {
          ...this.#runBase(intent, started),
          provider: output.provider ?? null,
          model: output.model ?? null,
          tokensIn: output.usage?.inputTokens ?? null,
          tokensOut: output.usage?.outputTokens ?? null,
          outcome: 'ok',
          errorCode: null,
        },
        keep: output.keep ?? true,
      };
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      const context = { conversation: inbound.conversation.key, user: inbound.user.id, tool: intent?.tool.name, messageId };
      let text: string;
      let outcome: ToolRunRecord['outcome'];
      let errorCode: string;
      if (error instanceof UserError) {
        log.info({ ...context, code: error.code, detail: error.detail }, 'user error');
        ({ message: text, code: errorCode } = error);
        outcome = 'user_error';
      } else {
        const ref = errorRef();
        log.error({ ...context, ref, err: error }, 'tool failed');
        text = internalErrorText(ref);
        outcome = 'error';
        errorCode = 'internal';
      }
      const run = intent ? { ...this.#runBase(intent, started), provider: null, model: null, tokensIn: null, tokensOut: null, outcome, errorCode } : null;
      return { replies: [{ type: 'text', text }], run, keep: true };
    } finally {
      clearTimeout(timer);
    }
  }

  #runBase(intent: Intent, started: number): Pick<ToolRunRecord, 'tool' | 'input' | 'latencyMs'> {
    return { tool: intent.tool.name, input: truncateStrings(intent.input), latencyMs: Math.round(this.#now() - started) };
  }
}

/** Postgres cannot store NUL in text or JSON; it never means anything in a chat message. */
function withoutNul(inbound: Inbound): Inbound {
  const clean = (text: string) => text.replaceAll('\u0000', '');
  return {
    ...inbound,
    text: clean(inbound.text),
    user: { ...inbound.user, name: clean(inbound.user.name) },
    attachments: inbound.attachments.map((file) => ({ ...file, name: clean(file.name) })),
  };
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(new UserError('timeout', 'That took too long, so I stopped. Try a shorter input or try again later.', { cause: signal.reason }));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function truncateStrings(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      typeof value === 'string' && value.length > MAX_LOGGED_INPUT_CHARS ? `${value.slice(0, MAX_LOGGED_INPUT_CHARS)}…` : value,
    ]),
  );
}
