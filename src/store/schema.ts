import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, index, integer, jsonb, pgTable, text, timestamp, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import type { AttachmentMeta } from '../core/history.js';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

/** One row per place people talk: "web:<id>", "discord:<guild>:<channel>[:<thread>]", ... Never deleted. */
export const conversations = pgTable('conversations', {
  id: text('id').primaryKey(),
  platform: text('platform').notNull(),
  createdAt: createdAt(),
});

/** Inbound and outbound messages; a reply is deleted with the message it answers. */
export const messages = pgTable(
  'messages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    text: text('text').notNull(),
    attachments: jsonb('attachments')
      .$type<AttachmentMeta[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    replyTo: bigint('reply_to', { mode: 'number' }).references((): AnyPgColumn => messages.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('messages_conversation_id_idx').on(t.conversationId, t.id),
    index('messages_user_id_idx').on(t.userId),
    index('messages_reply_to_idx').on(t.replyTo),
  ],
);

/** Bytes of files the bot keeps itself (web uploads, images it drew); platform files stay on the platform. */
export const files = pgTable(
  'files',
  {
    id: uuid('id').primaryKey(),
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    mime: text('mime').notNull(),
    size: integer('size').notNull(),
    bytes: bytea('bytes').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('files_message_id_idx').on(t.messageId)],
);

export const toolRuns = pgTable(
  'tool_runs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    tool: text('tool').notNull(),
    input: jsonb('input').notNull(),
    provider: text('provider'),
    model: text('model'),
    latencyMs: integer('latency_ms').notNull(),
    tokensIn: integer('tokens_in'),
    tokensOut: integer('tokens_out'),
    outcome: text('outcome', { enum: ['ok', 'user_error', 'error'] }).notNull(),
    errorCode: text('error_code'),
    createdAt: createdAt(),
  },
  (t) => [index('tool_runs_message_id_idx').on(t.messageId), index('tool_runs_tool_created_at_idx').on(t.tool, t.createdAt)],
);

/** The Vega-Lite spec of each chart the bot drew, so that "make it a line chart" can redraw the last one. */
export const charts = pgTable(
  'charts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id),
    /** The message the chart answered; /forget deletes it, and the chart with it. */
    messageId: bigint('message_id', { mode: 'number' })
      .notNull()
      .references(() => messages.id, { onDelete: 'cascade' }),
    spec: jsonb('spec').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('charts_conversation_id_idx').on(t.conversationId, t.id), index('charts_message_id_idx').on(t.messageId)],
);

export const userPreferences = pgTable('user_preferences', {
  userId: text('user_id').primaryKey(),
  settings: jsonb('settings')
    .$type<Record<string, unknown>>()
    .notNull()
    .default(sql`'{}'::jsonb`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Platform event ids already taken, so a redelivered event is answered once across restarts and instances. */
export const processedEvents = pgTable(
  'processed_events',
  {
    eventId: text('event_id').primaryKey(),
    messageId: bigint('message_id', { mode: 'number' }).references(() => messages.id, { onDelete: 'set null' }),
    processedAt: timestamp('processed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('processed_events_processed_at_idx').on(t.processedAt)],
);
