import type { RecentOptions, StoredMessage } from '../core/history.js';

export interface WindowLimits {
  /** Conversations kept; the least recently used is dropped first. */
  conversations: number;
  /** Newest messages kept per conversation. */
  messages: number;
  /** Characters of text kept per conversation, beyond the newest message. */
  chars: number;
}

const DEFAULT_WINDOW_LIMITS: WindowLimits = { conversations: 1000, messages: 50, chars: 64_000 };

export interface Load {
  stale: boolean;
}

interface Entry {
  /** Oldest first, ascending ids. */
  messages: { message: StoredMessage; id: number; chars: number }[];
  chars: number;
  /** True when no older message of the conversation exists beyond `messages`. */
  complete: boolean;
}

/**
 * The newest messages of recently active conversations, for a store that is the only writer of
 * its database (the embedded one): every write passes through it, so reading the history for a
 * reply needs no query. It answers only what the database would answer, and says when it can't.
 */
export class RecentWindows {
  readonly #entries = new Map<string, Entry>();
  /** Reads in flight, per conversation: a write meanwhile makes what they read out of date. */
  readonly #loads = new Map<string, Load>();

  constructor(readonly limits: WindowLimits = DEFAULT_WINDOW_LIMITS) {}

  /** What `recent` in the database returns, or undefined when older messages than those kept would be needed. */
  take(conversation: string, options: RecentOptions & { limit: number }): StoredMessage[] | undefined {
    const entry = this.#touch(conversation);
    if (!entry) return undefined;
    const before = options.before === undefined ? Number.MAX_SAFE_INTEGER : Number(options.before);
    const taken: StoredMessage[] = [];
    let used = 0;
    for (let i = entry.messages.length - 1; i >= 0; i--) {
      const kept = entry.messages[i];
      if (!kept || kept.id >= before) continue;
      if (taken.length >= options.limit) return taken.reverse();
      used += kept.chars + 1;
      if (used > options.maxChars) return taken.reverse();
      taken.push(kept.message);
    }
    return entry.complete || taken.length >= options.limit ? taken.reverse() : undefined;
  }

  /** Call before reading a conversation's newest messages from the database, and pass what it returns to `fill`. */
  loading(conversation: string): Load {
    const load = { stale: false };
    this.#loads.set(conversation, load);
    return load;
  }

  /** The newest messages as read from the database, oldest first; `complete` when there are no older ones. */
  fill(conversation: string, messages: StoredMessage[], complete: boolean, load: Load): void {
    if (this.#loads.get(conversation) === load) this.#loads.delete(conversation);
    if (load.stale) return;
    this.#keep(conversation, messages, complete);
  }

  #keep(conversation: string, messages: StoredMessage[], complete: boolean): void {
    this.#entries.delete(conversation);
    const entry: Entry = { messages: [], chars: 0, complete };
    this.#entries.set(conversation, entry);
    this.#add(entry, messages);
    this.#evict();
  }

  /** A message that started its conversation: nothing older exists. */
  started(conversation: string, message: StoredMessage): void {
    this.#keep(conversation, [message], true);
  }

  /** Messages just written; a conversation not kept stays unkept (it is read when asked for). */
  append(conversation: string, messages: StoredMessage[]): void {
    const load = this.#loads.get(conversation);
    if (load) load.stale = true;
    const entry = this.#entries.get(conversation);
    if (entry) this.#add(entry, messages);
  }

  /** After deletes: what is kept may name messages that are gone. */
  clear(): void {
    for (const load of this.#loads.values()) load.stale = true;
    this.#entries.clear();
  }

  #touch(conversation: string): Entry | undefined {
    const entry = this.#entries.get(conversation);
    if (entry) {
      this.#entries.delete(conversation);
      this.#entries.set(conversation, entry);
    }
    return entry;
  }

  #add(entry: Entry, messages: StoredMessage[]): void {
    for (const message of messages) {
      const kept = { message, id: Number(message.id), chars: codePoints(message.text) };
      let at = entry.messages.length;
      // Writes of one conversation come in order; a late one still lands by its id.
      while (at > 0 && (entry.messages[at - 1]?.id ?? 0) > kept.id) at--;
      entry.messages.splice(at, 0, kept);
      entry.chars += kept.chars;
    }
    while (entry.messages.length > this.limits.messages || (entry.messages.length > 1 && entry.chars > this.limits.chars)) {
      const dropped = entry.messages.shift();
      entry.chars -= dropped?.chars ?? 0;
      entry.complete = false;
    }
  }

  #evict(): void {
    for (const conversation of this.#entries.keys()) {
      if (this.#entries.size <= this.limits.conversations) return;
      this.#entries.delete(conversation);
    }
  }
}

/** Postgres's length(text): characters, where JavaScript counts a surrogate pair as two. */
function codePoints(text: string): number {
  let pairs = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) pairs++;
  }
  return text.length - pairs;
}
