import type { Inbound, Reply, UserRef } from './message.js';

export interface AttachmentMeta {
  id: string;
  name: string;
  mime: string;
  size: number;
  /** Alt text of an image the bot sent. */
  alt?: string;
  /** The platform's URL, when the bytes live there. */
  url?: string;
  /** True when the bytes are kept by the store and can be read back with `file(id)`. */
  stored: boolean;
}

export interface StoredMessage {
  id: string;
  conversation: string;
  direction: 'in' | 'out';
  user: UserRef;
  text: string;
  attachments: AttachmentMeta[];
  /** For a reply, the message it answers. */
  replyTo: string | null;
  createdAt: Date;
}

export interface StoredFile {
  id: string;
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface ToolRunRecord {
  tool: string;
  input: unknown;
  provider: string | null;
  model: string | null;
  latencyMs: number;
  tokensIn: number | null;
  tokensOut: number | null;
  outcome: 'ok' | 'user_error' | 'error';
  errorCode: string | null;
}

/** A duplicate's message may since have been deleted by /forget. */
export type InboundRecord = { status: 'new'; messageId: string } | { status: 'duplicate'; messageId: string | null };

export interface OutboundTurn {
  conversation: string;
  replyTo: string;
  replies: Reply[];
  /** The model calls and tool run that produced the replies. */
  runs: ToolRunRecord[];
}

export interface UserDataCounts {
  messages: number;
  files: number;
  toolRuns: number;
  preferences: number;
}

export interface RecentOptions {
  /** Newest messages are taken until their text adds up to this many characters. */
  maxChars: number;
  limit?: number;
  /** Only messages older than this one (exclusive). */
  before?: string;
  /** Only messages from this time on. */
  since?: Date;
}

/** What a user chose once and the bot remembers, e.g. the language to translate into. */
export interface Preferences {
  translateTo?: string;
}

/** The Vega-Lite spec of a chart the bot drew, kept so that a later message can change it. */
export interface StoredChart {
  /** The message the chart answered. */
  messageId: string;
  spec: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Conversation history as the core needs it. Every write is atomic: a call that fails leaves
 * nothing of itself behind and throws StoreUnavailableError when the database cannot be reached.
 */
export interface History {
  /** Stores the message (and its kept attachments) unless its event id was seen before. */
  recordInbound(inbound: Inbound): Promise<InboundRecord>;
  recordOutbound(turn: OutboundTurn): Promise<StoredMessage[]>;
  repliesTo(messageId: string): Promise<StoredMessage[]>;
  recent(conversation: string, options: RecentOptions): Promise<StoredMessage[]>;
  /** One stored message of a conversation, e.g. the one a message replies to. */
  message(conversation: string, id: string): Promise<StoredMessage | undefined>;
  preferences(userId: string): Promise<Preferences>;
  /** Merges `changes` into what is stored for the user. */
  setPreferences(userId: string, changes: Preferences): Promise<Preferences>;
  countUserData(userId: string): Promise<UserDataCounts>;
  /** Deletes the user's messages, the bot's replies to them, their files, tool runs and preferences. */
  forgetUser(userId: string): Promise<UserDataCounts>;
  /** Keeps the spec of a chart drawn in answer to `messageId`; it goes when that message goes. */
  saveChart(chart: { conversation: string; messageId: string; spec: Record<string, unknown> }): Promise<void>;
  /** The newest chart of the conversation, if any. */
  lastChart(conversation: string): Promise<StoredChart | undefined>;
}
