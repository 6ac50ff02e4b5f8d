import { and, asc, count, desc, eq, getTableColumns, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type {
  AttachmentMeta,
  History,
  InboundRecord,
  OutboundTurn,
  Preferences,
  RecentOptions,
  StoredChart,
  StoredFile,
  StoredMessage,
  UserDataCounts,
} from '../core/history.js';
import type { Inbound } from '../core/message.js';
import { ChartStore } from './chart-store.js';
import type { Database, Db, Executor } from './database.js';
import { conversations, files, messages, toolRuns, userPreferences } from './schema.js';
import { RecentWindows } from './recent-windows.js';
import { TurnWrites, type InboundWrite, type OutboundWrite } from './turn-writes.js';
import { WriteBatch } from './write-batch.js';
import { guarded } from './unavailable.js';

type MessageRow = typeof messages.$inferSelect;

/** The most messages `recent` looks at, whatever their size. */
const RECENT_LIMIT = 200;

/** The newest messages whose text fits `maxChars`, oldest first; the window sum stops the texts past the budget from leaving the database. */
function recentQuery(db: Db) {
  const running = sql<number>`sum(length(${messages.text}) + 1) over (order by ${messages.id} desc)`.as('running');
  const newest = db
    .select({ ...getTableColumns(messages), running })
    .from(messages)
    .where(
      and(
        eq(messages.conversationId, sql.placeholder('conversation')),
        lt(messages.id, sql.placeholder('before')),
        gte(messages.createdAt, sql`${sql.placeholder('since')}::timestamptz`),
      ),
    )
    .orderBy(desc(messages.id))
    .limit(sql.placeholder('limit'))
    .as('newest');
  return db
    .select()
    .from(newest)
    .where(lte(newest.running, sql.placeholder('maxChars')))
    .orderBy(asc(newest.id))
    .prepare('recent_messages');
}

/** Conversation ids remembered as existing; past this many the memory starts over. */
const KNOWN_CONVERSATIONS = 100_000;

/** Messages, or turns of replies, written in one statement at most. */
const TURNS_PER_WRITE = 100;

/** Conversations whose first message is remembered; the oldest is forgotten first. */
const OPENED_CONVERSATIONS = 10_000;

export interface HistoryStoreOptions {
  /**
   * Keep the newest messages of active conversations in memory. Only right when this store is its
   * database's one writer, as with the embedded database (the default there).
   */
  windows?: RecentWindows | undefined;
}

export interface ListOptions {
  limit: number;
  /** Messages older than this id (exclusive), for paging backwards. */
  before?: string;
}

/** Conversation history on Postgres (server or embedded) through drizzle. */
export class HistoryStore implements History {
  readonly #db: Db;
  readonly #transaction: Database['transaction'];
  readonly #known = new Set<string>();
  /** Conversation -> the id of the message that began it, written by this store; the windows know it where they are kept. */
  readonly #openers = new Map<string, number>();
  readonly #writes: TurnWrites;
  readonly #inbound: WriteBatch<{ inbound: Inbound; attachments: AttachmentMeta[] }, InboundWrite>;
  readonly #outbound: WriteBatch<OutboundTurn, OutboundWrite>;
  readonly #recent: ReturnType<typeof recentQuery>;
  readonly #windows: RecentWindows | undefined;
  readonly #charts: ChartStore;

  constructor(database: Pick<Database, 'db' | 'transaction' | 'kind'>, options: HistoryStoreOptions = {}) {
    this.#db = database.db;
    this.#transaction = database.transaction;
    this.#writes = new TurnWrites(database.db);
    // The embedded database runs one statement at a time anyway; a server takes a few at once.
    const batches = { maxInFlight: database.kind === 'pglite' ? 1 : 2, maxItems: TURNS_PER_WRITE };
    this.#inbound = new WriteBatch((batch) => this.#writes.inbound(batch), batches);
    this.#outbound = new WriteBatch((batch) => this.#writes.outbound(batch), batches);
    this.#charts = new ChartStore(database.db);
    this.#recent = recentQuery(database.db);
    this.#windows = 'windows' in options ? options.windows : database.kind === 'pglite' ? new RecentWindows() : undefined;
  }

  recordInbound(inbound: Inbound): Promise<InboundRecord> {
    return guarded('recordInbound', async () => {
      const attachments = inbound.attachments.map((file): AttachmentMeta => ({
        id: file.id,
        name: file.name,
        mime: file.mime,
        size: file.size,
        ...(file.url ? { url: file.url } : {}),
        stored: file.bytes !== undefined,
      }));
      const kept = inbound.attachments.flatMap((file) =>
        file.bytes ? [{ id: file.id, name: file.name, mime: file.mime, size: file.size, bytes: file.bytes }] : [],
      );
      const result = kept.length
        ? await this.#transaction(async (tx) => {
            const [written] = await this.#writes.inbound([{ inbound, attachments }], tx);
            if (!written) throw new Error('the inbound write answered nothing');
            if (written.claimed) await tx.insert(files).values(kept.map((file) => ({ ...file, messageId: written.messageId })));
            return written;
          })
        : await this.#inbound.add({ inbound, attachments });
      this.#remember(inbound.conversation.key);
      if (result.claimed && result.started && !this.#windows) this.#opened(inbound.conversation.key, result.messageId);
      if (result.claimed) {
        this.#kept(inbound, String(result.messageId), attachments, result.started);
        return { status: 'new', messageId: String(result.messageId) };
      }
      return { status: 'duplicate', messageId: result.messageId === null ? null : String(result.messageId) };
    });
  }

  recordOutbound(turn: OutboundTurn): Promise<StoredMessage[]> {
    return guarded('recordOutbound', async () => {
      const rows = turn.replies.some((reply) => reply.type === 'image')
        ? await this.#transaction(async (tx) => {
            const [written] = await this.#writes.outbound([turn], tx);
            if (!written) throw new Error('the outbound write answered nothing');
            await tx.insert(files).values(written.files);
            return written.rows;
          })
        : (await this.#outbound.add(turn)).rows;
      const stored = rows.map(toStored);
      this.#windows?.append(turn.conversation, stored);
      return stored;
    });
  }

  repliesTo(messageId: string): Promise<StoredMessage[]> {
    return guarded('repliesTo', async () => {
      const rows = await this.#db
        .select()
        .from(messages)
        .where(eq(messages.replyTo, Number(messageId)))
        .orderBy(asc(messages.id));
      return rows.map(toStored);
    });
  }

  recent(conversation: string, options: RecentOptions): Promise<StoredMessage[]> {
    return guarded('recent', async () => {
      // Nothing precedes the message that began a conversation: the reply to it needs no read.
      const opener = this.#openers.get(conversation);
      if (opener !== undefined && options.before !== undefined && Number(options.before) <= opener) return [];
      const wanted = { ...options, limit: options.limit ?? RECENT_LIMIT };
      const windows = this.#windows;
      // What is kept is the newest messages, whenever they were written.
      if (!windows || options.since) return this.#readRecent(conversation, wanted);
      const kept = windows.take(conversation, wanted);
      if (kept) return kept;
      const load = windows.loading(conversation);
      const size = windows.limits.messages;
      const newest = await this.#readRecent(conversation, { maxChars: Number.MAX_SAFE_INTEGER, limit: size });
      windows.fill(conversation, newest, newest.length < size, load);
      return windows.take(conversation, wanted) ?? this.#readRecent(conversation, wanted);
    });
  }

  async #readRecent(conversation: string, options: RecentOptions & { limit: number }): Promise<StoredMessage[]> {
    const rows = await this.#recent.execute({
      conversation,
      before: options.before ? Number(options.before) : Number.MAX_SAFE_INTEGER,
      limit: options.limit,
      maxChars: options.maxChars,
      since: (options.since ?? new Date(0)).toISOString(),
    });
    return rows.map(toStored);
  }

  message(conversation: string, id: string): Promise<StoredMessage | undefined> {
    if (!/^\d{1,15}$/.test(id)) return Promise.resolve(undefined);
    return guarded('message', async () => {
      const [row] = await this.#db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversation), eq(messages.id, Number(id))));
      return row && toStored(row);
    });
  }

  preferences(userId: string): Promise<Preferences> {
    return guarded('preferences', async () => {
      const [row] = await this.#db.select({ settings: userPreferences.settings }).from(userPreferences).where(eq(userPreferences.userId, userId));
      return toPreferences(row?.settings);
    });
  }

  setPreferences(userId: string, changes: Preferences): Promise<Preferences> {
    return guarded('setPreferences', async () => {
      const [row] = await this.#db
        .insert(userPreferences)
        .values({ userId, settings: { ...changes } })
        .onConflictDoUpdate({
          target: userPreferences.userId,
          set: { settings: sql`${userPreferences.settings} || excluded.settings`, updatedAt: sql`now()` },
        })
        .returning({ settings: userPreferences.settings });
      return toPreferences(row?.settings);
    });
  }

  #kept(inbound: Inbound, id: string, attachments: AttachmentMeta[], started: boolean): void {
    if (!this.#windows) return;
    const message: StoredMessage = {
      id,
      conversation: inbound.conversation.key,
      direction: 'in',
      user: { id: inbound.user.id, name: inbound.user.name },
      text: inbound.text,
      attachments,
      replyTo: null,
      createdAt: inbound.receivedAt,
    };
    if (started) this.#windows.started(message.conversation, message);
    else this.#windows.append(message.conversation, [message]);
  }

  /** One page of a conversation, oldest first. */
  list(conversation: string, options: ListOptions): Promise<StoredMessage[]> {
    return guarded('list', async () => {
      const rows = await this.#db
        .select()
        .from(messages)
        .where(and(eq(messages.conversationId, conversation), options.before ? lt(messages.id, Number(options.before)) : undefined))
        .orderBy(desc(messages.id))
        .limit(options.limit);
      return rows.reverse().map(toStored);
    });
  }

  conversationExists(conversation: string): Promise<boolean> {
    if (this.#known.has(conversation)) return Promise.resolve(true);
    return guarded('conversationExists', async () => {
      const rows = await this.#db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversation));
      if (rows.length > 0) this.#remember(conversation);
      return rows.length > 0;
    });
  }

  #opened(conversation: string, messageId: number): void {
    if (this.#openers.size >= OPENED_CONVERSATIONS) {
      const oldest = this.#openers.keys().next();
      if (!oldest.done) this.#openers.delete(oldest.value);
    }
    this.#openers.set(conversation, messageId);
  }

  /** Conversations are never deleted, so once seen, one need not be looked up again. */
  #remember(conversation: string): void {
    if (this.#known.size >= KNOWN_CONVERSATIONS) this.#known.clear();
    this.#known.add(conversation);
  }

  file(id: string): Promise<StoredFile | undefined> {
    return guarded('file', async () => {
      const [row] = await this.#db.select({ id: files.id, name: files.name, mime: files.mime, bytes: files.bytes }).from(files).where(eq(files.id, id));
      return row;
    });
  }

  countUserData(userId: string): Promise<UserDataCounts> {
    return guarded('countUserData', () => countsFor(this.#db, userId));
  }

  forgetUser(userId: string): Promise<UserDataCounts> {
    return guarded('forgetUser', () =>
      this.#transaction(async (tx) => {
        const counts = await countsFor(tx, userId);
        await tx.delete(messages).where(eq(messages.userId, userId));
        await tx.delete(userPreferences).where(eq(userPreferences.userId, userId));
        return counts;
      }).finally(() => this.#windows?.clear()),
    );
  }

  saveChart(chart: { conversation: string; messageId: string; spec: Record<string, unknown> }): Promise<void> {
    return this.#charts.save(chart);
  }

  lastChart(conversation: string): Promise<StoredChart | undefined> {
    return this.#charts.last(conversation);
  }
}

/** The user's messages with the bot's replies to them, and everything hanging off those. */
async function countsFor(db: Executor, userId: string): Promise<UserDataCounts> {
  const own = db.select({ id: messages.id }).from(messages).where(eq(messages.userId, userId));
  const theirs = db
    .select({ id: messages.id })
    .from(messages)
    .where(sql`${messages.userId} = ${userId} or ${messages.replyTo} in (${own})`);
  // One after another: inside a transaction they share one connection.
  const [messageCount] = await db
    .select({ n: count() })
    .from(messages)
    .where(sql`${messages.id} in (${theirs})`);
  const [fileCount] = await db.select({ n: count() }).from(files).where(inArray(files.messageId, theirs));
  const [runCount] = await db.select({ n: count() }).from(toolRuns).where(inArray(toolRuns.messageId, own));
  const [preferenceCount] = await db.select({ n: count() }).from(userPreferences).where(eq(userPreferences.userId, userId));
  return { messages: messageCount?.n ?? 0, files: fileCount?.n ?? 0, toolRuns: runCount?.n ?? 0, preferences: preferenceCount?.n ?? 0 };
}

/** Stored settings are read back field by field: a value of the wrong type is as good as unset. */
function toPreferences(settings: Record<string, unknown> | undefined): Preferences {
  const translateTo = settings?.['translateTo'];
  return typeof translateTo === 'string' ? { translateTo } : {};
}

function toStored(row: MessageRow): StoredMessage {
  return {
    id: String(row.id),
    conversation: row.conversationId,
    direction: row.direction,
    user: { id: row.userId, name: row.userName },
    text: row.text,
    attachments: row.attachments,
    replyTo: row.replyTo === null ? null : String(row.replyTo),
    createdAt: row.createdAt,
  };
}
