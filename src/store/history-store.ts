import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { AttachmentMeta, History, InboundRecord, OutboundTurn, RecentOptions, StoredFile, StoredMessage, UserDataCounts } from '../core/history.js';
import { BOT_USER, type Inbound } from '../core/message.js';
import type { Database, Db, Executor } from './database.js';
import { conversations, files, messages, processedEvents, toolRuns, userPreferences } from './schema.js';
import { guarded } from './unavailable.js';

type MessageRow = typeof messages.$inferSelect;
type NewFile = typeof files.$inferInsert;

class DuplicateEvent extends Error {}

export interface ListOptions {
  limit: number;
  /** Messages older than this id (exclusive), for paging backwards. */
  before?: string;
}

/** Conversation history on Postgres (server or embedded) through drizzle. */
export class HistoryStore implements History {
  readonly #db: Db;
  readonly #transaction: Database['transaction'];

  constructor(database: Pick<Database, 'db' | 'transaction'>) {
    this.#db = database.db;
    this.#transaction = database.transaction;
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
      try {
        const messageId = await this.#transaction(async (tx) => {
          await tx.insert(conversations).values({ id: inbound.conversation.key, platform: inbound.conversation.platform }).onConflictDoNothing();
          const [row] = await tx
            .insert(messages)
            .values({
              conversationId: inbound.conversation.key,
              direction: 'in',
              userId: inbound.user.id,
              userName: inbound.user.name,
              text: inbound.text,
              attachments,
              createdAt: inbound.receivedAt,
            })
            .returning({ id: messages.id });
          if (!row) throw new Error('insert returned no row');
          const claimed = await tx.insert(processedEvents).values({ eventId: inbound.eventId, messageId: row.id }).onConflictDoNothing().returning();
          if (claimed.length === 0) throw new DuplicateEvent();
          const kept = inbound.attachments.flatMap((file): NewFile[] =>
            file.bytes ? [{ id: file.id, messageId: row.id, name: file.name, mime: file.mime, size: file.size, bytes: file.bytes }] : [],
          );
          if (kept.length) await tx.insert(files).values(kept);
          return row.id;
        });
        return { status: 'new', messageId: String(messageId) };
      } catch (error) {
        if (!(error instanceof DuplicateEvent)) throw error;
        const [seen] = await this.#db.select({ messageId: processedEvents.messageId }).from(processedEvents).where(eq(processedEvents.eventId, inbound.eventId));
        return { status: 'duplicate', messageId: seen?.messageId ? String(seen.messageId) : null };
      }
    });
  }

  recordOutbound(turn: OutboundTurn): Promise<StoredMessage[]> {
    return guarded('recordOutbound', () =>
      this.#transaction(async (tx) => {
        const replyTo = Number(turn.replyTo);
        const base = { conversationId: turn.conversation, direction: 'out' as const, userId: BOT_USER.id, userName: BOT_USER.name, replyTo };
        const values = turn.replies.map((reply) => {
          if (reply.type === 'text') return { ...base, text: reply.text, attachments: [] };
          const meta: AttachmentMeta = { id: globalThis.crypto.randomUUID(), name: reply.name, mime: reply.mime, size: reply.bytes.byteLength, alt: reply.alt, stored: true };
          return { ...base, text: '', attachments: [meta] };
        });
        const rows = values.length ? await tx.insert(messages).values(values).returning() : [];
        const kept = rows.flatMap((row, index): NewFile[] => {
          const reply = turn.replies[index];
          const meta = row.attachments[0];
          return reply?.type === 'image' && meta ? [{ id: meta.id, messageId: row.id, name: meta.name, mime: meta.mime, size: meta.size, bytes: reply.bytes }] : [];
        });
        if (kept.length) await tx.insert(files).values(kept);
        if (turn.run) await tx.insert(toolRuns).values({ ...turn.run, messageId: replyTo });
        return rows.map(toStored);
      }),
    );
  }

  repliesTo(messageId: string): Promise<StoredMessage[]> {
    return guarded('repliesTo', async () => {
      const rows = await this.#db.select().from(messages).where(eq(messages.replyTo, Number(messageId))).orderBy(asc(messages.id));
      return rows.map(toStored);
    });
  }

  recent(conversation: string, options: RecentOptions): Promise<StoredMessage[]> {
    return guarded('recent', async () => {
      const running = sql<number>`sum(length(${messages.text}) + 1) over (order by ${messages.id} desc)`.as('running');
      const newest = this.#db
        .select({ id: messages.id, running })
        .from(messages)
        .where(and(eq(messages.conversationId, conversation), options.before ? lt(messages.id, Number(options.before)) : undefined))
        .orderBy(desc(messages.id))
        .limit(options.limit ?? 200)
        .as('newest');
      const rows = await this.#db
        .select({ message: messages })
        .from(newest)
        .innerJoin(messages, eq(messages.id, newest.id))
        .where(sql`${newest.running} <= ${options.maxChars}`)
        .orderBy(asc(messages.id));
      return rows.map((row) => toStored(row.message));
    });
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
    return guarded('conversationExists', async () => {
      const rows = await this.#db.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversation));
      return rows.length > 0;
    });
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
      }),
    );
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
  const [messageCount] = await db.select({ n: count() }).from(messages).where(sql`${messages.id} in (${theirs})`);
  const [fileCount] = await db.select({ n: count() }).from(files).where(inArray(files.messageId, theirs));
  const [runCount] = await db.select({ n: count() }).from(toolRuns).where(inArray(toolRuns.messageId, own));
  const [preferenceCount] = await db.select({ n: count() }).from(userPreferences).where(eq(userPreferences.userId, userId));
  return { messages: messageCount?.n ?? 0, files: fileCount?.n ?? 0, toolRuns: runCount?.n ?? 0, preferences: preferenceCount?.n ?? 0 };
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
