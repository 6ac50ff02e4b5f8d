import { checkInbound, type MessageLimits } from './checks.js';
import { answer } from './answer.js';
import { UserError } from './errors.js';
import type { History, StoredMessage } from './history.js';
import { KeyedQueue } from './keyed-queue.js';
import type { Log } from './log.js';
import type { Inbound } from './message.js';
import type { Models } from './models.js';
import type { RateLimiter } from './rate-limit.js';
import type { Redactor } from './redact.js';
import type { ToolRegistry } from './registry.js';
import type { Router } from './router.js';

export interface PipelineOptions extends MessageLimits {
  toolTimeoutMs: number;
  /** Messages of one conversation waiting their turn beyond this are refused as busy. */
  maxQueuedPerConversation: number;
}

export interface PipelineDeps {
  registry: ToolRegistry;
  router: Router;
  history: History;
  models: Models;
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

export interface HandleOptions {
  /** Receives reply text as it is produced (a streamed answer), before the replies are stored. */
  onText?: (delta: string) => void;
}

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

  handle(received: Inbound, options: HandleOptions = {}): Promise<HandleResult> {
    const { limiter, registry } = this.deps;
    const limits = this.deps.options;
    const inbound = withoutNul(received);
    checkInbound(inbound, limits, registry);
    const retryAfterMs = limiter.take(inbound.user.id);
    if (retryAfterMs > 0) {
      throw new UserError('rate_limited', `Slow down a little: I answer up to ${limiter.limitText}. Try again in ${Math.ceil(retryAfterMs / 1000)} s.`, {
        detail: { retryAfterMs },
      });
    }
    const key = inbound.conversation.key;
    if (this.#queue.depth(key) >= limits.maxQueuedPerConversation) {
      limiter.refund(inbound.user.id);
      throw new UserError('busy', "I'm still working through earlier messages here. Try again in a moment.");
    }
    return this.#queue.run(key, () => this.#turn({ ...inbound, text: this.deps.redact(inbound.text) }, options.onText));
  }

  async #turn(inbound: Inbound, onText: HandleOptions['onText']): Promise<HandleResult> {
    const { history, limiter } = this.deps;
    const record = await history.recordInbound(inbound);
    if (record.status === 'duplicate') {
      limiter.refund(inbound.user.id);
      return { status: 'duplicate', messageId: record.messageId, replies: record.messageId ? await history.repliesTo(record.messageId) : [] };
    }
    const { router, models, log, options, redact } = this.deps;
    const deps = { router, history, models, log, toolTimeoutMs: options.toolTimeoutMs, now: this.#now };
    const result = await answer(inbound, record.messageId, deps, onText && ((delta) => onText(redact(delta))));
    const replies = result.replies.map((reply) => (reply.type === 'text' ? { ...reply, text: redact(reply.text) } : reply));
    if (!result.keep) {
      log.info({ conversation: inbound.conversation.key, runs: result.runs }, 'replies sent without being stored');
      return {
        status: 'replied',
        messageId: null,
        replies: replies.map((reply) => ({ id: null, text: reply.type === 'text' ? reply.text : reply.alt, attachments: [] })),
      };
    }
    const stored = await history.recordOutbound({ conversation: inbound.conversation.key, replyTo: record.messageId, replies, runs: result.runs });
    return { status: 'replied', messageId: record.messageId, replies: stored };
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
