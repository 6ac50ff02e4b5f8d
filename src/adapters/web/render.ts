import type { AttachmentMeta, StoredMessage } from '../../core/history.js';
import type { Outbound } from '../../core/pipeline.js';

export type ApiReply = { type: 'text'; text: string } | { type: 'image'; url: string; alt: string; mime: string };

export interface ApiAttachment {
  name: string;
  mime: string;
  size: number;
  url: string | null;
  alt?: string;
}

export function fileUrl(id: string): string {
  return `/api/files/${id}`;
}

export function renderReplies(replies: readonly Outbound[]): ApiReply[] {
  return replies.flatMap((reply): ApiReply[] => {
    const images = reply.attachments.filter((file) => file.stored && file.mime.startsWith('image/'));
    const text: ApiReply[] = reply.text ? [{ type: 'text', text: reply.text }] : [];
    return [...text, ...images.map((file): ApiReply => ({ type: 'image', url: fileUrl(file.id), alt: file.alt ?? file.name, mime: file.mime }))];
  });
}

export function renderMessage(message: StoredMessage) {
  return {
    id: message.id,
    direction: message.direction,
    user: message.user,
    text: message.text,
    attachments: message.attachments.map(renderAttachment),
    replyTo: message.replyTo,
    createdAt: message.createdAt.toISOString(),
  };
}

function renderAttachment(file: AttachmentMeta): ApiAttachment {
  return {
    name: file.name,
    mime: file.mime,
    size: file.size,
    url: file.stored ? fileUrl(file.id) : (file.url ?? null),
    ...(file.alt ? { alt: file.alt } : {}),
  };
}
