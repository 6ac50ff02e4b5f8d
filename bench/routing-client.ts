import { postStream } from '../test/support/http.js';
import { MESSAGES_PATH } from './routing-messages.js';

export interface MessageBody {
  conversation?: string;
  user: string;
  text: string;
}

export interface Answered {
  status: number;
  conversation: string;
  /** The first reply's text, '' when there is none. */
  text: string;
  /** Client round trip: send to the whole body read. */
  ms: number;
}

/** POST /api/messages as JSON; the answer whole. */
export async function postMessage(baseUrl: string, body: MessageBody): Promise<Answered> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}${MESSAGES_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const parsed = (await response.json()) as { conversation?: string; replies?: Array<{ text?: string }> };
  return { status: response.status, conversation: parsed.conversation ?? '', text: parsed.replies?.[0]?.text ?? '', ms: performance.now() - started };
}

export interface Streamed {
  deltas: number;
  /** The first reply's text in the `done` event, '' when there was none. */
  text: string;
}

/** POST /api/messages with Accept: text/event-stream, read to the end. */
export async function postStreamed(baseUrl: string, body: MessageBody): Promise<Streamed> {
  const events = await postStream(baseUrl, body);
  const done = events.find((event) => event.event === 'done')?.data as { replies?: Array<{ text?: string }> } | undefined;
  return { deltas: events.filter((event) => event.event === 'delta').length, text: done?.replies?.[0]?.text ?? '' };
}

/** POST to one of the server's /bench routes; the JSON answer. */
export async function control<T>(baseUrl: string, path: string): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, { method: 'POST' });
  if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
