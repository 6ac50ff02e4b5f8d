import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { Log } from '../../core/log.js';
import type { HandleResult, Pipeline } from '../../core/pipeline.js';
import { errorBody, HttpError } from './http-errors.js';
import { conversationKey, newConversationId, readMessageRequest, toInbound } from './parse.js';
import { renderReplies } from './render.js';
import type { WebStore } from './server.js';

export interface PostMessageDeps {
  pipeline: Pick<Pipeline, 'handle'>;
  store: Pick<WebStore, 'conversationExists' | 'message'>;
  log: Log;
}

/**
 * `POST /api/messages`: the whole reply as JSON, or, with `Accept: text/event-stream`, server-sent
 * events: `delta` ({text}) as an answer is produced, then `done` with the same body as the JSON
 * reply, or `error` ({error}). A message refused before any work starts gets a plain error status
 * either way, so a client can tell "not taken" from "failed while answering".
 */
export async function postMessage(c: Context, deps: PostMessageDeps): Promise<Response> {
  const request = await readMessageRequest(c);
  const conversation = request.fields.conversation ?? newConversationId();
  if (request.fields.conversation && !(await deps.store.conversationExists(conversationKey(conversation)))) {
    throw new HttpError(404, 'conversation_not_found', 'There is no conversation with that id. Leave `conversation` out to start a new one.');
  }
  const inbound = await toInbound(request, conversation);
  if (request.fields.replyTo) {
    const replied = await deps.store.message(inbound.conversation.key, request.fields.replyTo);
    if (!replied) throw new HttpError(404, 'message_not_found', 'There is no message with that id in this conversation.');
    inbound.reference = { text: replied.text, user: replied.user };
  }
  const body = (result: HandleResult) => ({
    conversation,
    message: result.messageId,
    duplicate: result.status === 'duplicate',
    replies: renderReplies(result.replies),
  });
  if (!(c.req.header('accept') ?? '').includes('text/event-stream')) return c.json(body(await deps.pipeline.handle(inbound)));

  // Text can arrive before the stream is open; it waits here until then.
  let send: (delta: string) => void;
  const early: string[] = [];
  send = (delta) => early.push(delta);
  const handled = deps.pipeline.handle(inbound, { onText: (delta) => send(delta) });
  // Awaited inside the stream; this only keeps an early failure from counting as unhandled meanwhile.
  handled.catch(() => undefined);
  return streamSSE(c, async (stream) => {
    const write = (delta: string) => void stream.writeSSE({ event: 'delta', data: JSON.stringify({ text: delta }) });
    early.forEach(write);
    send = write;
    try {
      await stream.writeSSE({ event: 'done', data: JSON.stringify(body(await handled)) });
    } catch (error) {
      await stream.writeSSE({ event: 'error', data: JSON.stringify(errorBody(error, deps.log, c.req.path)) });
    }
  });
}
