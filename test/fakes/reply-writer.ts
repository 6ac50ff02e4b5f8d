import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { completionBody, readChatRequest, streamChunks } from './chat-completion-render.js';
import type { ChatReply, Reply } from './inference-replies.js';

export interface WriteContext {
  /** The request body; chat replies read model, stream flags and messages from it. */
  body: unknown;
  /** Numbers the ids of this answer (completion id, tool call ids). */
  sequence: number;
  /** Aborted when the fake closes, ending delays early. */
  closing: AbortSignal;
}

/** Waits `ms`; false when the fake closed or the client went away meanwhile, so nothing is written. */
async function pause(ms: number | undefined, res: ServerResponse, closing: AbortSignal): Promise<boolean> {
  if (ms !== undefined && ms > 0) {
    try {
      await sleep(ms, undefined, { signal: closing });
    } catch {
      return false;
    }
  }
  return !res.destroyed && !closing.aborted;
}

export async function writeReply(res: ServerResponse, reply: Reply, context: WriteContext): Promise<void> {
  // A hang sends nothing: the response stays open until the client aborts or the fake closes.
  if (reply.kind === 'hang') return;
  if (!(await pause(reply.delayMs, res, context.closing))) return;
  if (reply.kind === 'raw') {
    res.writeHead(reply.status, reply.headers).end(reply.body);
    return;
  }
  const request = readChatRequest(context.body);
  if (!request.stream) {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completionBody(reply, request, context.sequence)));
    return;
  }
  await writeStream(res, reply, streamChunks(reply, request, context.sequence), context.closing);
}

async function writeStream(res: ServerResponse, reply: ChatReply, chunks: { answer: object[]; closing: object[] }, closing: AbortSignal): Promise<void> {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
  for (const [i, chunk] of chunks.answer.entries()) {
    if (i > 0 && !(await pause(reply.chunkDelayMs, res, closing))) return;
    send(chunk);
  }
  const end = reply.end ?? 'done';
  if (end === 'hang') return;
  if (end === 'drop') {
    res.destroy();
    return;
  }
  if (typeof end === 'object') {
    send({ error: end.error, error_type: 'generation' });
  } else {
    for (const chunk of chunks.closing) send(chunk);
    send('[DONE]');
  }
  res.end();
}
