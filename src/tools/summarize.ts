import { z } from 'zod';
import { attachmentKind } from '../core/attachments.js';
import { UserError } from '../core/errors.js';
import type { StoredMessage } from '../core/history.js';
import type { Attachment } from '../core/message.js';
import { defineTool, type KeywordText, type ToolContext } from '../core/tool.js';
import type { Passage } from '../core/models.js';
import { splitSentences } from '../models/local/sentences.js';

/** How much of a conversation is read, newest first. */
const CONVERSATION_CHARS = 100_000;
/** A request head this short ("this chat", "please", "一下") asks about the conversation, not a text to summarize. */
const SHORT_HEAD = /^(?:\S+\s*){0,5}$/;
const CONVERSATION_WORDS = /conversation|chat|thread|channel|discussion|above|对话|聊天|群聊|讨论|上面/i;

/** About the square root of the sentence count: 2 points for 5 sentences, 5 for 30, at most 7. */
const defaultPoints = (sentenceCount: number): number => Math.min(7, Math.max(1, Math.round(Math.sqrt(sentenceCount))));

export const summarize = defineTool({
  name: 'summarize',
  description: 'Summarize text, an attached .txt or .md file, or this conversation',
  input: z.object({
    text: z.string().trim().optional().describe('The text to summarize; leave it out to summarize this conversation'),
    sentences: z.number().int().min(1).max(10).optional().describe('How many points to give; by default it grows with the length'),
  }),
  textField: 'text',
  accepts: ['text'],
  keywords: ['summarize', 'summarise', 'summary', 'tldr', 'tl;dr', 'recap', '总结', '摘要', '概括', '归纳'],
  fromText: (text) => (wantsConversation(text) ? {} : { text: text.body || text.head }),
  run: async (input, ctx) => {
    const { passages, scope } = input.text ? { passages: [{ text: input.text }], scope: 'text' as const } : await readSources(ctx);
    const points = input.sentences ?? defaultPoints(passages.reduce((count, passage) => count + splitSentences(passage.text).length, 0));
    const summary = await ctx.models.summarize({ passages, points }, { signal: ctx.signal });
    const text = scope === 'conversation' ? `Summary of the last ${passages.length} messages:\n${summary.text}` : summary.text;
    return { replies: [{ type: 'text', text }], provider: summary.provider, model: summary.model, ...(summary.usage ? { usage: summary.usage } : {}) };
  },
});

function wantsConversation({ head, body }: KeywordText): boolean {
  if (body) return false;
  return CONVERSATION_WORDS.test(head) || (SHORT_HEAD.test(head) && head.length <= 40);
}

async function readSources(ctx: ToolContext): Promise<{ passages: Passage[]; scope: 'files' | 'conversation' }> {
  const textFiles = ctx.inbound.attachments.filter((file) => attachmentKind(file.mime, file.name) === 'text');
  if (textFiles.length) return { passages: textFiles.map((file) => ({ text: decodeText(file) })), scope: 'files' };
  const history = await ctx.history.recent(ctx.inbound.conversation.key, { maxChars: CONVERSATION_CHARS, before: ctx.messageId });
  const passages = history.filter(isConversationContent).map((message) => ({ speaker: message.user.name, text: message.text }));
  if (passages.length === 0) throw new UserError('nothing_to_summarize', "There's nothing here to summarize yet. Send me some text or attach a .txt file.");
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
