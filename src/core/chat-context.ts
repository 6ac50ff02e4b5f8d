import { attachmentKind } from './attachments.js';
import type { History, StoredMessage } from './history.js';
import type { Inbound } from './message.js';
import type { ChatMessage, ContentPart } from './models.js';

/** What a chat model is given of the conversation, for routing and for answering questions alike. */

/** Past this many messages, older context rarely changes an answer but costs reading and tokens. */
const HISTORY_MESSAGES = 40;

/** `tools`: the model may call tools (routing), or only answers (a question asked outright). */
export function systemMessage(botName: string, tools = true): ChatMessage {
  return {
    role: 'system',
    content:
      `You are ${botName}, an assistant in a team chat. ` +
      (tools ? 'When the user wants something one of your tools does, call that tool; otherwise answer directly' : 'Answer the question') +
      ', briefly, in the language the user writes in. Put code in fenced code blocks. Messages from people start with their name.',
  };
}

/** The conversation before message `before`, newest first within `maxChars`, as chat messages; none when the budget is 0. */
export async function conversationBefore(history: Pick<History, 'recent'>, conversation: string, before: string, maxChars: number): Promise<ChatMessage[]> {
  if (maxChars <= 0) return [];
  const messages = await history.recent(conversation, { maxChars, before, limit: HISTORY_MESSAGES });
  return messages.flatMap(historyMessage);
}

function historyMessage(message: StoredMessage): ChatMessage[] {
  const files = message.attachments.map((file) => (file.alt ? `[image: ${file.alt}]` : `[file: ${file.name}]`)).join(' ');
  const text = [message.text, files].filter(Boolean).join(' ');
  if (!text) return [];
  return [message.direction === 'in' ? { role: 'user', content: `${message.user.name}: ${text}` } : { role: 'assistant', content: text }];
}

/** The message itself, with its images as image parts so a vision model sees them. */
export function currentMessage(inbound: Inbound, asked = inbound.text): ChatMessage {
  const text = `${inbound.user.name}: ${asked}`;
  const images = inbound.attachments.filter((file) => file.bytes && attachmentKind(file.mime, file.name) === 'image');
  const others = inbound.attachments.filter((file) => !images.includes(file)).map((file) => `[file: ${file.name}]`);
  const fullText = [text, ...others].join(' ');
  if (images.length === 0) return { role: 'user', content: fullText };
  const parts: ContentPart[] = [{ type: 'text', text: fullText }];
  for (const file of images) if (file.bytes) parts.push({ type: 'image', mime: file.mime, bytes: file.bytes });
  return { role: 'user', content: parts };
}
