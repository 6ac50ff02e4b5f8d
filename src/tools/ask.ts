import { z } from 'zod';
import { conversationBefore, currentMessage, systemMessage } from '../core/chat-context.js';
import { UserError } from '../core/errors.js';
import { BOT_USER } from '../core/message.js';
import { defineTool } from '../core/tool.js';

/** `historyChars`: how much of the conversation goes with a question, as with a routed message. */
export const createAskTool = (historyChars: number) =>
  defineTool({
    name: 'ask',
    description: 'Ask the chat model a question or for code; it sees the recent conversation',
    input: z.object({
      question: z.string().trim().optional().describe('The question'),
    }),
    textField: 'question',
    keywords: ['ask', 'question', '问一下', '请问'],
    // A model that routes a message answers it itself; this is for /ask and for keyword routing.
    modelCallable: false,
    run: async (input, ctx) => {
      const question = input.question ?? '';
      if (!question) throw new UserError('empty_question', 'Ask me something, e.g. `/ask How do I undo the last git commit?`');
      const history = await conversationBefore(ctx.history, ctx.inbound.conversation.key, ctx.messageId, historyChars);
      const messages = [systemMessage(BOT_USER.name, false), ...history, currentMessage(ctx.inbound, question)];
      const answer = await ctx.models.chat({ messages }, { signal: ctx.signal, ...(ctx.onText ? { onText: ctx.onText } : {}) });
      const text = answer.text.trim();
      if (!text) throw new UserError('model_unavailable', "The model didn't answer that. Please try again or rephrase it.");
      return { replies: [{ type: 'text', text }], provider: answer.provider, model: answer.model, ...(answer.usage ? { usage: answer.usage } : {}) };
    },
  });
