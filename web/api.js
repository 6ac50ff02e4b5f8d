// The server's JSON API, and what to tell the user when it refuses something or cannot be reached.

import { serverSentEvents } from './event-stream.js';

export const NETWORK_ERROR = "I couldn't reach the server. Check that it is running and try again.";

const ACCEPT_JSON = { accept: 'application/json' };
/** The answer as it is written, as server-sent events; a message refused outright still gets a JSON error. */
const ACCEPT_STREAM = { accept: 'text/event-stream, application/json;q=0.9' };

export function fetchTools() {
  return fetch('/api/tools', { headers: ACCEPT_JSON });
}

/**
 * Up to `limit` of a conversation's latest messages, or of those older than the message `before`.
 * @param {string} conversation @param {number} limit @param {string} [before]
 */
export function fetchMessages(conversation, limit, before) {
  const older = before === undefined ? '' : `&before=${encodeURIComponent(before)}`;
  return fetch(`/api/conversations/${encodeURIComponent(conversation)}/messages?limit=${limit}${older}`, { headers: ACCEPT_JSON });
}

/**
 * JSON when there are no files; multipart form data, with the same fields, when there are. Read the
 * response with readReply().
 * @param {{ text: string, files: File[], id: string, conversation: string | null, user: string, name: string }} message
 */
export function postMessage({ text, files, id, conversation, user, name }) {
  const fields = { ...(conversation ? { conversation } : {}), user, name, text, id };
  if (files.length === 0) {
    return fetch('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json', ...ACCEPT_STREAM }, body: JSON.stringify(fields) });
  }
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append('files', file, file.name);
  return fetch('/api/messages', { method: 'POST', headers: ACCEPT_STREAM, body: form });
}

/**
 * The server's answer to postMessage(): `data` is the body of a `done` event, which is what a JSON
 * reply would have been, or the JSON body of a response that is not a stream (a refusal), or the
 * `{error}` of an `error` event (`failedInStream`: the message was taken, answering it failed).
 * Text goes to `onText` as it is written. A stream that ends without `done` or `error` was cut off:
 * that rejects, as a network failure does.
 * @param {Response} response @param {(text: string) => void} onText
 * @returns {Promise<{ data: any, failedInStream: boolean }>}
 */
export async function readReply(response, onText) {
  const type = response.headers.get('content-type') ?? '';
  if (!response.body || !type.startsWith('text/event-stream')) return { data: await readJson(response), failedInStream: false };
  for await (const { event, data } of serverSentEvents(response.body)) {
    if (event === 'delta') {
      const text = /** @type {any} */ (JSON.parse(data))?.text;
      if (typeof text === 'string' && text) onText(text);
    } else if (event === 'done' || event === 'error') {
      return { data: /** @type {any} */ (JSON.parse(data)), failedInStream: event === 'error' };
    }
  }
  throw new Error('The answer stopped before it was complete.');
}

/** The body as JSON, or null when it is not JSON. @param {Response} response */
export async function readJson(response) {
  try {
    return /** @type {any} */ (await response.json());
  } catch {
    return null;
  }
}

/** The server's own words when it gave them; never the raw body. @param {any} data @param {number} status */
export function errorText(data, status) {
  const message = data?.error?.message;
  if (typeof message === 'string' && message.trim()) return message;
  if (status === 413) return 'That is too large to send.';
  if (status === 429) return 'Too many messages at once. Wait a moment and try again.';
  if (status >= 500) return 'Something went wrong on the server. Try again in a moment.';
  return `The server could not take that message (error ${status}).`;
}
