/** Where a message came from; adapters add their own names as they arrive. */
export type Platform = 'web' | 'discord' | 'slack';

/**
 * A conversation is identified by one string key that encodes its place on the platform:
 * "web:<id>", "discord:<guild>:<channel>[:<thread>]", "slack:<team>:<channel>[:<thread_ts>]".
 */
export interface ConversationRef {
  platform: Platform;
  key: string;
}

export interface UserRef {
  /** Platform-scoped, e.g. "web:alice" or "discord:1234". */
  id: string;
  name: string;
}

/** What a file is to the bot; decides which tools can take it. */
export type AttachmentKind = 'image' | 'text' | 'table';

export interface Attachment {
  id: string;
  name: string;
  mime: string;
  size: number;
  /** Where the platform serves the file, when it does. */
  url?: string;
  /** The bytes, when the adapter already holds them (web uploads); they are kept with the message. */
  bytes?: Uint8Array;
}

export interface SlashCommand {
  name: string;
  /** Everything after the command name, as the user typed it. */
  args: string;
}

/** One normalized incoming event, whatever platform it came from. */
export interface Inbound {
  /** Platform event id; the same id twice is processed once. */
  eventId: string;
  conversation: ConversationRef;
  user: UserRef;
  text: string;
  attachments: Attachment[];
  command?: SlashCommand;
  /** The message this one replies to, or its thread's first message, as the platform gives it. */
  reference?: { text: string; user: UserRef };
  receivedAt: Date;
  /** The platform payload, untouched, for adapters that need more than the normalized fields. */
  raw?: unknown;
}

export type Reply = { type: 'text'; text: string } | { type: 'image'; name: string; mime: string; alt: string; bytes: Uint8Array };

export const BOT_USER: UserRef = { id: 'bot', name: 'Assistant' };
