import { eq, inArray, sql } from 'drizzle-orm';
import type { AttachmentMeta, OutboundTurn } from '../core/history.js';
import { BOT_USER, type Inbound } from '../core/message.js';
import type { Db, Executor } from './database.js';
import type { files } from './schema.js';
import { conversations, messages, processedEvents, toolRuns } from './schema.js';

/**
 * The two writes of a turn. Each is one statement (data-modifying CTEs) prepared once, because a
 * round trip per row, and drizzle building the query anew each time, were most of the cost of a
 * message; each takes the turns of many conversations at once (see WriteBatch). The same builders
 * run unprepared, for one turn, inside a transaction when files go with the message.
 */

type NewFile = typeof files.$inferInsert;
type MessageRow = typeof messages.$inferSelect;

const p = (name: string) => sql.placeholder(name);
const nextMessageId = sql<number>`nextval(pg_get_serial_sequence('messages', 'id'))`;

/** `started`: the message began its conversation. */
export type InboundWrite = { claimed: true; messageId: number; started: boolean } | { claimed: false; messageId: number | null };

/** One inbound message as the batched write takes it (a row of its JSON parameter). */
interface InboundRow {
  eventId: string;
  conversation: string;
  platform: string;
  userId: string;
  userName: string;
  text: string;
  attachments: AttachmentMeta[];
  createdAt: string;
}

/**
 * Claims each row's event id and, only where it was free, adds the conversation and the message;
 * answers the claimed rows with their message id and whether they began their conversation.
 */
function inboundQuery(db: Executor) {
  const rows = sql.raw('row');
  const input = db.$with('input').as(
    db
      .select({
        eventId: sql<string>`${rows}."eventId"`.as('input_event_id'),
        conversation: sql<string>`${rows}.conversation`.as('conversation'),
        platform: sql<string>`${rows}.platform`.as('platform'),
        userId: sql<string>`${rows}."userId"`.as('user_id'),
        userName: sql<string>`${rows}."userName"`.as('user_name'),
        text: sql<string>`${rows}.text`.as('text'),
        attachments: sql<AttachmentMeta[]>`${rows}.attachments`.as('attachments'),
        createdAt: sql<Date>`${rows}."createdAt"`.as('created_at'),
      })
      .from(
        sql`jsonb_to_recordset(${p('rows')}::jsonb) as ${rows}("eventId" text, conversation text, platform text, "userId" text, "userName" text, text text, attachments jsonb, "createdAt" timestamptz)`,
      ),
  );
  const claim = db.$with('claim').as(
    db
      .insert(processedEvents)
      .select((qb) =>
        qb.select({ eventId: input.eventId, messageId: nextMessageId.as('message_id'), processedAt: sql<Date>`now()`.as('processed_at') }).from(input),
      )
      .onConflictDoNothing()
      .returning({ eventId: processedEvents.eventId, messageId: processedEvents.messageId }),
  );
  const claimed = db.$with('claimed').as(
    db
      .select({
        eventId: sql<string>`${claim.eventId}`.as('claimed_event_id'),
        messageId: sql<number>`${claim.messageId}`.as('message_id'),
        conversation: input.conversation,
        platform: input.platform,
        userId: input.userId,
        userName: input.userName,
        text: input.text,
        attachments: input.attachments,
        createdAt: input.createdAt,
      })
      .from(claim)
      .innerJoin(input, eq(input.eventId, claim.eventId)),
  );
  const opened = db.$with('opened').as(
    db
      .insert(conversations)
      .select((qb) => qb.selectDistinct({ id: claimed.conversation, platform: claimed.platform, createdAt: sql<Date>`now()`.as('created_at') }).from(claimed))
      .onConflictDoNothing()
      .returning({ id: conversations.id }),
  );
  const message = db.$with('message').as(
    db.insert(messages).select((qb) =>
      qb
        .select({
          id: claimed.messageId,
          conversationId: claimed.conversation,
          direction: sql<'in'>`'in'`.as('direction'),
          userId: claimed.userId,
          userName: claimed.userName,
          text: claimed.text,
          attachments: claimed.attachments,
          replyTo: sql<number | null>`null::bigint`.as('reply_to'),
          createdAt: claimed.createdAt,
        })
        .from(claimed),
    ),
  );
  return db
    .with(input, claim, claimed, opened, message)
    .select({
      eventId: claimed.eventId,
      messageId: claimed.messageId,
      started: sql<boolean>`${claimed.conversation} in (select ${opened.id} from ${opened})`.mapWith(Boolean),
    })
    .from(claimed);
}

/** A turn's stored replies, and the files of its image replies still to be written. */
export interface OutboundWrite {
  rows: MessageRow[];
  files: NewFile[];
}

/** One turn as the batched write takes it (an element of its JSON parameter). */
interface OutboundTurnRow {
  conversation: string;
  replyTo: number;
  replies: { text: string; attachments: AttachmentMeta[] }[];
  /** The model calls and tool runs, possibly none. */
  runs: OutboundTurn['runs'];
}

/** Adds each turn's replies, in order, and its tool runs; answers the replies in id order. */
function outboundQuery(db: Executor) {
  const turn = sql.raw('turn');
  const reply = sql.raw('reply');
  const replyTo = sql<number>`(${turn}.value->>'replyTo')::bigint`;
  const inserted = db.$with('inserted').as(
    db
      .insert(messages)
      .select((qb) =>
        qb
          .select({
            id: nextMessageId.as('id'),
            conversationId: sql<string>`${turn}.value->>'conversation'`.as('conversation_id'),
            direction: sql<'out'>`'out'`.as('direction'),
            userId: sql<string>`${BOT_USER.id}::text`.as('user_id'),
            userName: sql<string>`${BOT_USER.name}::text`.as('user_name'),
            text: sql<string>`${reply}.text`.as('text'),
            attachments: sql<AttachmentMeta[]>`${reply}.attachments`.as('attachments'),
            replyTo: replyTo.as('reply_to'),
            createdAt: sql<Date>`now()`.as('created_at'),
          })
          .from(
            sql`jsonb_array_elements(${p('turns')}::jsonb) with ordinality as ${turn}(value, n), rows from (jsonb_to_recordset(${turn}.value->'replies') as (text text, attachments jsonb)) with ordinality as ${reply}(text, attachments, n)`,
          )
          .orderBy(sql`${turn}.n, ${reply}.n`),
      )
      .returning(),
  );
  const run = sql.raw('run');
  const recorded = db.$with('recorded').as(
    db.insert(toolRuns).select((qb) =>
      qb
        .select({
          id: sql<number>`nextval(pg_get_serial_sequence('tool_runs', 'id'))`.as('id'),
          messageId: replyTo.as('message_id'),
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
          sql`jsonb_array_elements(${p('turns')}::jsonb) as ${turn}(value), jsonb_to_recordset(${turn}.value->'runs') as ${run}(tool text, input jsonb, provider text, model text, "latencyMs" integer, "tokensIn" integer, "tokensOut" integer, outcome text, "errorCode" text)`,
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

  /**
   * Writes messages together, answering each in order; `tx` when the write is part of a larger
   * transaction, the prepared statement otherwise.
   */
  async inbound(batch: { inbound: Inbound; attachments: AttachmentMeta[] }[], tx?: Executor): Promise<InboundWrite[]> {
    const rows: InboundRow[] = batch.map(({ inbound, attachments }) => ({
      eventId: inbound.eventId,
      conversation: inbound.conversation.key,
      platform: inbound.conversation.platform,
      userId: inbound.user.id,
      userName: inbound.user.name,
      text: inbound.text,
      attachments,
      createdAt: inbound.receivedAt.toISOString(),
    }));
    // The same event twice in one batch would claim once but insert twice; the first row speaks for both.
    const sent = new Set<string>();
    const params = { rows: jsonParameter(rows.filter((row) => !sent.has(row.eventId) && sent.add(row.eventId))) };
    const written = tx ? await inboundQuery(tx).execute(params) : await this.#inbound.execute(params);
    const claims = new Map(written.map((row) => [row.eventId, row]));
    const lost = rows.filter((row) => !claims.has(row.eventId)).map((row) => row.eventId);
    // A claim lost to an earlier delivery; one still uncommitted reads as null.
    const seen = lost.length
      ? await (tx ?? this.db)
          .select({ eventId: processedEvents.eventId, messageId: processedEvents.messageId })
          .from(processedEvents)
          .where(inArray(processedEvents.eventId, lost))
      : [];
    const earlier = new Map(seen.map((row) => [row.eventId, row.messageId]));
    const opener = openers(rows, claims);
    const answered = new Set<string>();
    return rows.map((row): InboundWrite => {
      const claim = claims.get(row.eventId);
      if (!claim || answered.has(row.eventId)) return { claimed: false, messageId: claim?.messageId ?? earlier.get(row.eventId) ?? null };
      answered.add(row.eventId);
      return { claimed: true, messageId: claim.messageId, started: claim.started && opener.get(row.conversation) === claim.messageId };
    });
  }

  /**
   * Writes turns together; answers each with its stored replies and, for image replies, the files
   * still to be written (only inside `tx`, where image replies go).
   */
  async outbound(turns: OutboundTurn[], tx?: Executor): Promise<OutboundWrite[]> {
    const kept: Omit<NewFile, 'messageId'>[][] = [];
    const rows: OutboundTurnRow[] = turns.map((turn) => {
      const files: Omit<NewFile, 'messageId'>[] = [];
      kept.push(files);
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
        files.push({ id: meta.id, name: meta.name, mime: meta.mime, size: meta.size, bytes: reply.bytes });
        return { text: '', attachments: [meta] };
      });
      return { conversation: turn.conversation, replyTo: Number(turn.replyTo), replies, runs: turn.runs };
    });
    const params = { turns: jsonParameter(rows) };
    const written = tx ? await outboundQuery(tx).execute(params) : await this.#outbound.execute(params);
    // Ids follow the turns' order, so turns answering one message (never two in practice) take their replies in turn.
    const byReplyTo = new Map<number | null, MessageRow[]>();
    for (const row of written) byReplyTo.set(row.replyTo, [...(byReplyTo.get(row.replyTo) ?? []), row]);
    return rows.map((turn, i) => {
      const mine = byReplyTo.get(turn.replyTo)?.splice(0, turn.replies.length) ?? [];
      const byAttachment = new Map(mine.flatMap((row) => row.attachments.map((meta) => [meta.id, row.id] as const)));
      return { rows: mine, files: (kept[i] ?? []).map((file) => ({ ...file, messageId: byAttachment.get(file.id) ?? turn.replyTo })) };
    });
  }
}

/** Conversation -> the first message that began it; two rows of one batch cannot both have begun it. */
function openers(rows: InboundRow[], claims: Map<string, { messageId: number; started: boolean }>): Map<string, number> {
  const first = new Map<string, number>();
  for (const row of rows) {
    const claim = claims.get(row.eventId);
    if (!claim?.started) continue;
    const known = first.get(row.conversation);
    if (known === undefined || claim.messageId < known) first.set(row.conversation, claim.messageId);
  }
  return first;
}

/**
 * JSON for a jsonb parameter. Postgres refuses a lone UTF-16 surrogate in JSON, which JS strings
 * can hold (a cut emoji); as a text parameter it would have become U+FFFD, so it does here too.
 */
function jsonParameter(value: unknown): string {
  return JSON.stringify(value, (_key, field: unknown) => (typeof field === 'string' ? field.toWellFormed() : field));
}
