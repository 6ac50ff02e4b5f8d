import { eq, sql } from 'drizzle-orm';
import type { AttachmentMeta, OutboundTurn } from '../core/history.js';
import { BOT_USER, type Inbound } from '../core/message.js';
import type { Db, Executor } from './database.js';
import type { files } from './schema.js';
import { conversations, messages, processedEvents, toolRuns } from './schema.js';

/**
 * The two writes of a turn. Each is one statement (data-modifying CTEs) prepared once, because a
 * round trip per row, and drizzle building the query anew each time, were most of the cost of a
 * message. The same builders run unprepared inside a transaction when files go with the message.
 */

type NewFile = typeof files.$inferInsert;
type MessageRow = typeof messages.$inferSelect;

const p = (name: string) => sql.placeholder(name);
const nextMessageId = sql<number>`nextval(pg_get_serial_sequence('messages', 'id'))`;

/** `started`: the message began its conversation. */
export type InboundWrite = { claimed: true; messageId: number; started: boolean } | { claimed: false; messageId: number | null };

interface InboundParams extends Record<string, unknown> {
  eventId: string;
  conversation: string;
  platform: string;
  userId: string;
  userName: string;
  text: string;
  attachments: string;
  createdAt: string;
}

/** Claims the event id and, only when it was free, adds the conversation and the message. */
function inboundQuery(db: Executor) {
  const claim = db.$with('claim').as(
    db
      .insert(processedEvents)
      .values({ eventId: p('eventId'), messageId: nextMessageId })
      .onConflictDoNothing()
      .returning({ messageId: processedEvents.messageId }),
  );
  const conversation = db.$with('conversation').as(
    db
      .insert(conversations)
      .select((qb) =>
        qb
          .select({
            id: sql<string>`${p('conversation')}::text`.as('id'),
            platform: sql<string>`${p('platform')}::text`.as('platform'),
            createdAt: sql<Date>`now()`.as('created_at'),
          })
          .from(claim),
      )
      .onConflictDoNothing()
      .returning({ id: conversations.id }),
  );
  const message = db.$with('message').as(
    db.insert(messages).select((qb) =>
      qb
        .select({
          id: sql<number>`${claim.messageId}`.as('id'),
          conversationId: sql<string>`${p('conversation')}::text`.as('conversation_id'),
          direction: sql<'in'>`'in'`.as('direction'),
          userId: sql<string>`${p('userId')}::text`.as('user_id'),
          userName: sql<string>`${p('userName')}::text`.as('user_name'),
          text: sql<string>`${p('text')}::text`.as('text'),
          attachments: sql<AttachmentMeta[]>`${p('attachments')}::jsonb`.as('attachments'),
          replyTo: sql<number | null>`null::bigint`.as('reply_to'),
          createdAt: sql<Date>`${p('createdAt')}::timestamptz`.as('created_at'),
        })
        .from(claim),
    ),
  );
  return db
    .with(claim, conversation, message)
    .select({ messageId: claim.messageId, started: sql<boolean>`exists (select 1 from ${conversation})`.mapWith(Boolean) })
    .from(claim);
}

interface OutboundParams extends Record<string, unknown> {
  conversation: string;
  replyTo: number;
  /** JSON array of {text, attachments}, one per reply. */
  replies: string;
  /** JSON array of the runs (model calls and tool runs), possibly empty. */
  run: string;
}

/** Adds the replies, in order, and the tool run (when there is one). */
function outboundQuery(db: Executor) {
  const reply = sql.raw('reply');
  const inserted = db.$with('inserted').as(
    db
      .insert(messages)
      .select((qb) =>
        qb
          .select({
            id: nextMessageId.as('id'),
            conversationId: sql<string>`${p('conversation')}::text`.as('conversation_id'),
            direction: sql<'out'>`'out'`.as('direction'),
            userId: sql<string>`${BOT_USER.id}::text`.as('user_id'),
            userName: sql<string>`${BOT_USER.name}::text`.as('user_name'),
            text: sql<string>`${reply}.text`.as('text'),
            attachments: sql<AttachmentMeta[]>`${reply}.attachments`.as('attachments'),
            replyTo: sql<number>`${p('replyTo')}::bigint`.as('reply_to'),
            createdAt: sql<Date>`now()`.as('created_at'),
          })
          .from(sql`rows from (jsonb_to_recordset(${p('replies')}::jsonb) as (text text, attachments jsonb)) with ordinality as ${reply}(text, attachments, n)`)
          .orderBy(sql`${reply}.n`),
      )
      .returning(),
  );
  const run = sql.raw('run');
  const recorded = db.$with('recorded').as(
    db.insert(toolRuns).select((qb) =>
      qb
        .select({
          id: sql<number>`nextval(pg_get_serial_sequence('tool_runs', 'id'))`.as('id'),
          messageId: sql<number>`${p('replyTo')}::bigint`.as('message_id'),
          tool: sql<string>`${run}.tool`.as('tool'),
          input: sql<unknown>`${run}.input`.as('input'),
          provider: sql<string | null>`${run}.provider`.as('provider'),
          model: sql<string | null>`${run}.model`.as('model'),
          latencyMs: sql<number>`${run}."latencyMs"`.as('latency_ms'),
          tokensIn: sql<number | null>`${run}."tokensIn"`.as('tokens_in'),
          tokensOut: sql<number | null>`${run}."tokensOut"`.as('tokens_out'),
          outcome: sql<'ok' | 'user_error' | 'error'>`${run}.outcome`.as('outcome'),
          errorCode: sql<string | null>`${run}."errorCode"`.as('error_code'),
          createdAt: sql<Date>`now()`.as('created_at'),
        })
        .from(
          sql`jsonb_to_recordset(${p('run')}::jsonb) as ${run}(tool text, input jsonb, provider text, model text, "latencyMs" integer, "tokensIn" integer, "tokensOut" integer, outcome text, "errorCode" text)`,
        ),
    ),
  );
  return db.with(inserted, recorded).select().from(inserted).orderBy(inserted.id);
}

export class TurnWrites {
  readonly #inbound;
  readonly #outbound;

  constructor(private readonly db: Db) {
    this.#inbound = inboundQuery(db).prepare('record_inbound');
    this.#outbound = outboundQuery(db).prepare('record_outbound');
  }

  /** `tx` when the write is part of a larger transaction; the prepared statement otherwise. */
  async inbound(inbound: Inbound, attachments: AttachmentMeta[], tx?: Executor): Promise<InboundWrite> {
    const params: InboundParams = {
      eventId: inbound.eventId,
      conversation: inbound.conversation.key,
      platform: inbound.conversation.platform,
      userId: inbound.user.id,
      userName: inbound.user.name,
      text: inbound.text,
      attachments: JSON.stringify(attachments),
      createdAt: inbound.receivedAt.toISOString(),
    };
    const [claimed] = tx ? await inboundQuery(tx).execute(params) : await this.#inbound.execute(params);
    if (claimed?.messageId) return { claimed: true, messageId: claimed.messageId, started: claimed.started };
    // The claim lost to an earlier delivery; one still uncommitted reads as null.
    const [seen] = await (tx ?? this.db)
      .select({ messageId: processedEvents.messageId })
      .from(processedEvents)
      .where(eq(processedEvents.eventId, inbound.eventId));
    return { claimed: false, messageId: seen?.messageId ?? null };
  }

  /** Returns the stored replies and, for image replies, the files still to be written. */
  async outbound(turn: OutboundTurn, tx?: Executor): Promise<{ rows: MessageRow[]; files: NewFile[] }> {
    const kept: Omit<NewFile, 'messageId'>[] = [];
    const replies = turn.replies.map((reply) => {
      if (reply.type === 'text') return { text: reply.text, attachments: [] };
      const meta: AttachmentMeta = {
        id: globalThis.crypto.randomUUID(),
        name: reply.name,
        mime: reply.mime,
        size: reply.bytes.byteLength,
        alt: reply.alt,
        stored: true,
      };
      kept.push({ id: meta.id, name: meta.name, mime: meta.mime, size: meta.size, bytes: reply.bytes });
      return { text: '', attachments: [meta] };
    });
    const params: OutboundParams = {
      conversation: turn.conversation,
      replyTo: Number(turn.replyTo),
      replies: JSON.stringify(replies),
      run: JSON.stringify(turn.runs),
    };
    const rows = tx ? await outboundQuery(tx).execute(params) : await this.#outbound.execute(params);
    const byAttachment = new Map(rows.flatMap((row) => row.attachments.map((meta) => [meta.id, row.id] as const)));
    return { rows, files: kept.map((file) => ({ ...file, messageId: byAttachment.get(file.id) ?? params.replyTo })) };
  }
}
