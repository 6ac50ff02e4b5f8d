import { attachmentKind, describeKind } from './attachments.js';
import { UserError } from './errors.js';
import type { AttachmentKind, Inbound } from './message.js';
import type { ToolRegistry } from './registry.js';

export interface MessageLimits {
  maxTextChars: number;
  maxFileBytes: number;
  maxFiles: number;
}

const KIND_NAMES: Record<AttachmentKind, string> = {
  image: 'images',
  text: 'text files (.txt, .md)',
  table: 'data files (.csv, .tsv, .json)',
};

/** Refuses, before anything is stored, a message that no tool could take. */
export function checkInbound(inbound: Inbound, limits: MessageLimits, registry: ToolRegistry): void {
  if (!inbound.text.trim() && inbound.attachments.length === 0 && !inbound.command) {
    throw new UserError('empty_message', 'Your message is empty. Type something or attach a file.');
  }
  if (inbound.text.length > limits.maxTextChars) {
    throw new UserError(
      'text_too_long',
      `Your message is ${count(inbound.text.length)} characters long; I take up to ${count(limits.maxTextChars)}. Attach longer text as a .txt file.`,
      { detail: { chars: inbound.text.length } },
    );
  }
  if (inbound.attachments.length > limits.maxFiles) {
    throw new UserError('too_many_files', `That's ${inbound.attachments.length} files; I take up to ${limits.maxFiles} per message.`);
  }
  for (const file of inbound.attachments) {
    if (file.size > limits.maxFileBytes) {
      throw new UserError('file_too_large', `${file.name} is ${megabytes(file.size)}; the limit is ${megabytes(limits.maxFileBytes)}.`, {
        detail: { size: file.size },
      });
    }
    const kind = attachmentKind(file.mime, file.name);
    if (!kind || registry.readers(kind).length === 0) {
      throw new UserError('unsupported_file', `I can't do anything with ${describeKind(file.mime, file.name)} files. I can read ${readableKinds(registry)}.`, {
        detail: { mime: file.mime, name: file.name },
      });
    }
  }
}

function readableKinds(registry: ToolRegistry): string {
  const kinds = (Object.keys(KIND_NAMES) as AttachmentKind[]).filter((kind) => registry.readers(kind).length > 0);
  return kinds.length ? kinds.map((kind) => KIND_NAMES[kind]).join(', ') : 'no files yet, only text';
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1).replace(/\.0$/, '')} MB`;
}
