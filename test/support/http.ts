export interface ApiReply {
  type: 'text' | 'image';
  text?: string;
  url?: string;
  alt?: string;
  mime?: string;
}

export interface PostResult {
  status: number;
  headers: Headers;
  body: {
    conversation?: string;
    message?: string | null;
    duplicate?: boolean;
    replies?: ApiReply[];
    error?: { code: string; message: string };
  };
}

export interface UploadFile {
  name: string;
  type: string;
  bytes: Uint8Array;
}

export async function postJson(base: string, body: unknown): Promise<PostResult> {
  const response = await fetch(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as PostResult['body'] };
}

export async function postForm(base: string, fields: Record<string, string>, files: UploadFile[]): Promise<PostResult> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  for (const file of files) form.append('files', new File([new Uint8Array(file.bytes)], file.name, { type: file.type }));
  const response = await fetch(`${base}/api/messages`, { method: 'POST', body: form });
  return { status: response.status, headers: response.headers, body: (await response.json()) as PostResult['body'] };
}

export interface HistoryMessage {
  id: string;
  direction: 'in' | 'out';
  user: { id: string; name: string };
  text: string;
  attachments: Array<{ name: string; mime: string; size: number; url: string | null; alt?: string }>;
  replyTo: string | null;
}

export async function history(base: string, conversation: string): Promise<HistoryMessage[]> {
  const response = await fetch(`${base}/api/conversations/${conversation}/messages`);
  if (response.status !== 200) throw new Error(`history: ${response.status}`);
  return ((await response.json()) as { messages: HistoryMessage[] }).messages;
}

export const PARAGRAPH =
  'The city council met on Tuesday to discuss the new budget. The treasurer said the budget deficit has grown to four million dollars. ' +
  'Several members proposed cutting the parks budget to close the deficit. Others argued that parks are essential for the community. ' +
  'The mayor asked for a compromise that protects the parks. The council will vote on the budget next week.';

export interface StreamEvent {
  event: string;
  data: unknown;
}

/** POSTs with `Accept: text/event-stream` and hands each server-sent event to `onEvent` as it arrives. */
export async function postStream(base: string, body: unknown, onEvent: (event: StreamEvent) => Promise<void> | void = () => undefined): Promise<StreamEvent[]> {
  const response = await fetch(`${base}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify(body),
  });
  if (!response.ok || !response.body) throw new Error(`stream refused: ${response.status} ${await response.text()}`);
  const events: StreamEvent[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = block
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => line.slice(6))
        .join('\n');
      const parsed = { event, data: JSON.parse(data) as unknown };
      events.push(parsed);
      await onEvent(parsed);
    }
  }
  return events;
}
