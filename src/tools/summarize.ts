import { z } from 'zod';
import { attachmentKind } from '../core/attachments.js';
import { UserError } from '../core/errors.js';
import type { StoredMessage } from '../core/history.js';
import type { Attachment } from '../core/message.js';
import { defineTool, type KeywordText, type ToolContext } from '../core/tool.js';
import type { Passage } from '../core/models.js';
import { splitSentences } from '../models/local/sentences.js';

/** How much of a conversation is read, newest first; longer is summarized in parts. */
const CONVERSATION_CHARS = 400_000;
const CONVERSATION_MESSAGES = 1000;
/** A request head this short ("this chat", "please", "一下") asks about the conversation, not a text to summarize. */
const SHORT_HEAD = /^(?:\S+\s*){0,5}$/;
const CONVERSATION_WORDS = /conversation|chat|thread|channel|discussion|above|对话|聊天|群聊|讨论|上面/i;

/** About the square root of the sentence count: 2 points for 5 sentences, 5 for 30, at most 7. */
const defaultPoints = (sentenceCount: number): number => Math.min(7, Math.max(1, Math.round(Math.sqrt(sentenceCount))));

/** "last 50 messages", "past 3 hours", "最近50条", "过去3小时": how much of the conversation is meant. */
const LAST_MESSAGES = /(?:last|past|previous|latest)\s+(\d{1,4})\s+(?:messages?|msgs?)|(?:最近|过去|前)\s*(\d{1,4})\s*条/iu;
const LAST_HOURS = /(?:last|past|previous)\s+(\d{1,3}|an?)\s+(hours?|hrs?|days?)|(?:最近|过去|前)\s*(\d{1,3})\s*(小时|天)/iu;

const span = z.object({
  messages: z.number().int().min(1).max(1000).optional().describe('Summarize only the last N messages of this conversation'),
  hours: z.number().positive().max(720).optional().describe('Summarize only the messages of the last N hours'),
});

export const summarize = defineTool({
  name: 'summarize',
  description: 'Summarize text, an attached .txt or .md file, this thread, or its last N messages or hours',
  input: z.object({
    text: z.string().trim().optional().describe('The text to summarize; leave it out to summarize this conversation'),
    sentences: z.number().int().min(1).max(10).optional().describe('How many points to give; by default it grows with the length'),
    ...span.shape,
  }),
  textField: 'text',
  accepts: ['text'],
  keywords: ['summarize', 'summarise', 'summary', 'tldr', 'tl;dr', 'recap', '总结', '摘要', '概括', '归纳'],
  fromText: (text) => (wantsConversation(text) ? spanIn(text.head) : { text: text.body || text.head }),
  run: async (input, ctx) => {
    const { passages, scope } = input.text ? { passages: [{ text: input.text }], scope: 'text' as const } : await readSources(ctx, input);
    const points = input.sentences ?? defaultPoints(passages.reduce((count, passage) => count + splitSentences(passage.text).length, 0));
    const summary = await ctx.models.summarize({ passages, points }, { signal: ctx.signal });
    const text = scope === 'conversation' ? `${conversationHeading(passages.length, input)}\n${summary.text}` : summary.text;
    return { replies: [{ type: 'text', text }], provider: summary.provider, model: summary.model, ...(summary.usage ? { usage: summary.usage } : {}) };
  },
});

function wantsConversation({ head, body }: KeywordText): boolean {
  if (body) return false;
  return CONVERSATION_WORDS.test(head) || LAST_MESSAGES.test(head) || LAST_HOURS.test(head) || (SHORT_HEAD.test(head) && head.length <= 40);
}

function spanIn(head: string): z.input<typeof span> {
  const messages = LAST_MESSAGES.exec(head);
  if (messages) return { messages: Number(messages[1] ?? messages[2]) };
  const hours = LAST_HOURS.exec(head);
  if (!hours) return {};
  const count = /^an?$/i.test(hours[1] ?? '') ? 1 : Number(hours[1] ?? hours[3]);
  return { hours: /^d|天/i.test(hours[2] ?? hours[4] ?? '') ? count * 24 : count };
}

function conversationHeading(count: number, wanted: z.output<typeof span>): string {
  const noun = count === 1 ? 'message' : 'messages';
  if (wanted.hours) return `Summary of the last ${wanted.hours === 1 ? 'hour' : `${wanted.hours} hours`} (${count} ${noun}):`;
  return `Summary of the last ${count} ${noun}:`;
}

async function readSources(ctx: ToolContext, wanted: z.output<typeof span>): Promise<{ passages: Passage[]; scope: 'files' | 'conversation' }> {
  const textFiles = ctx.inbound.attachments.filter((file) => attachmentKind(file.mime, file.name) === 'text');
  if (textFiles.length) return { passages: textFiles.map((file) => ({ text: decodeText(file) })), scope: 'files' };
  const history = await ctx.history.recent(ctx.inbound.conversation.key, {
    maxChars: CONVERSATION_CHARS,
    before: ctx.messageId,
    // Commands and the bot's replies are read, then left out: "the last 20 messages" means 20 that people wrote.
    limit: wanted.messages ? wanted.messages * 3 : CONVERSATION_MESSAGES,
    ...(wanted.hours ? { since: new Date(Date.now() - wanted.hours * 3_600_000) } : {}),
  });
  const said = history.filter(isConversationContent).map((message) => ({ speaker: message.user.name, text: message.text }));
  const passages = wanted.messages ? said.slice(-wanted.messages) : said;
  if (passages.length === 0) {
    const when = wanted.hours ? ` in the last ${wanted.hours === 1 ? 'hour' : `${wanted.hours} hours`}` : '';
    throw new UserError('nothing_to_summarize', `There's nothing here${when} to summarize yet. Send me some text or attach a .txt file.`);
  }
  return { passages, scope: 'conversation' };
}

/**
 * What people said: the bot's own replies (help lists, earlier summaries) would crowd out the
 * people, and commands and bare uploads say nothing worth summarizing.
 */
function isConversationContent(message: StoredMessage): boolean {
  const text = message.text.trim();
  return message.direction === 'in' && text.length > 0 && !text.startsWith('/');
}

function decodeText(file: Attachment): string {
  if (!file.bytes) throw new UserError('unreadable_file', `I couldn't get the contents of ${file.name}.`);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(file.bytes);
    if (text.includes('\u0000')) throw new Error('NUL byte in text');
    return text;
  } catch (error) {
    throw new UserError('unreadable_file', `${file.name} doesn't look like a text file (it isn't UTF-8 text).`, { cause: error });
  }
}
