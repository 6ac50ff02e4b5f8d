import { Agent, request } from 'node:http';
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

/**
 * Kept-alive connections without a cap, so a burst opens as many as it sends at once. node:http
 * rather than fetch: the load generator shares the cores with the server, and fetch costs it
 * several times the CPU per request.
 */
const agent = new Agent({ keepAlive: true });

/** POST /api/messages as JSON; the answer whole. */
export function postMessage(baseUrl: string, body: MessageBody): Promise<Answered> {
  const started = performance.now();
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const sent = request(
      `${baseUrl}${MESSAGES_PATH}`,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          try {
            const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { conversation?: string; replies?: Array<{ text?: string }> };
            resolve({
              status: response.statusCode ?? 0,
              conversation: parsed.conversation ?? '',
              text: parsed.replies?.[0]?.text ?? '',
              ms: performance.now() - started,
            });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
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
