import type { Context } from 'hono';
import { z } from 'zod';
import type { Attachment, Inbound } from '../../core/message.js';
import { HttpError } from './http-errors.js';

export const CONVERSATION_ID = /^[A-Za-z0-9_-]{1,64}$/;

const fields = z.object({
  conversation: z.string().regex(CONVERSATION_ID, 'must be 1-64 letters, digits, _ or -').optional(),
  user: z.string().trim().min(1).max(64).optional(),
  name: z.string().trim().min(1).max(80).optional(),
  text: z.string().optional(),
  id: z.string().min(1).max(128).optional().describe('Client message id; a retry with the same id is answered once'),
  replyTo: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a message id')
    .optional()
    .describe('The stored message this one replies to'),
});

export type MessageFields = z.infer<typeof fields>;

export interface ParsedRequest {
  fields: MessageFields;
  files: File[];
}

/** `POST /api/messages` takes JSON or multipart with the same fields, files under `files`. */
export async function readMessageRequest(c: Context): Promise<ParsedRequest> {
  const type = c.req.header('content-type') ?? '';
  if (type.startsWith('application/json')) {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new HttpError(400, 'invalid_json', 'The request body is not valid JSON.');
    }
    return { fields: parseFields(body), files: [] };
  }
  if (type.startsWith('multipart/form-data')) {
    let form: Record<string, string | File | Array<string | File>>;
    try {
      form = await c.req.parseBody({ all: true });
    } catch {
      throw new HttpError(400, 'invalid_form', 'The multipart body could not be read.');
    }
    const { files: uploaded, ...rest } = form;
    const files = [uploaded ?? []].flat().filter((file): file is File => typeof file !== 'string');
    return { fields: parseFields(Object.fromEntries(Object.entries(rest).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]))), files };
  }
  throw new HttpError(415, 'unsupported_media_type', 'Send JSON (application/json) or a form (multipart/form-data).');
}

function parseFields(body: unknown): MessageFields {
  const parsed = fields.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  throw new HttpError(400, 'invalid_request', `The request doesn't fit: ${problems}.`);
}

/** The normalized message; `raw` keeps the fields as sent (file bytes aside). */
export async function toInbound(request: ParsedRequest, conversationId: string): Promise<Inbound> {
  const { fields: sent, files } = request;
  const user = sent.user ?? 'guest';
  const attachments = await Promise.all(
    files.map(async (file): Promise<Attachment> => ({
      id: globalThis.crypto.randomUUID(),
      name: file.name || 'upload',
      mime: file.type || 'application/octet-stream',
      size: file.size,
      bytes: new Uint8Array(await file.arrayBuffer()),
    })),
  );
  return {
    eventId: `web:${sent.id ?? globalThis.crypto.randomUUID()}`,
    conversation: { platform: 'web', key: conversationKey(conversationId) },
    user: { id: `web:${user}`, name: sent.name ?? user },
    text: sent.text ?? '',
    attachments,
    receivedAt: new Date(),
    raw: { ...sent, files: files.map((file) => ({ name: file.name, type: file.type, size: file.size })) },
  };
}

export function conversationKey(id: string): string {
  return `web:${id}`;
}

export function newConversationId(): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(12))).toString('base64url');
}
