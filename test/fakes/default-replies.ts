import { readChatRequest } from './chat-completion-render.js';
import { sniffImageType } from './hf-task-requests.js';
import type { ScriptRoute } from './inference-routes.js';
import { reply, type Reply } from './inference-replies.js';

function field(body: unknown, key: string): unknown {
  return typeof body === 'object' && body !== null && !(body instanceof Uint8Array) ? (body as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * What a route answers when its script is empty, so tests script only what they care about. Each
 * answer is derived from the request, so a test can see its input went through:
 * - chat: `echo: <last user message>`
 * - translation: `[<tgt_lang or 'translated'>] <inputs>`
 * - summarization: `summary: <first 8 words of inputs>`
 * - image-to-text: `a <png|jpeg|...> image of <n> bytes`
 */
export function defaultReply(route: ScriptRoute, body: unknown): Reply {
  switch (route) {
    case 'chat':
      return reply.text(`echo: ${readChatRequest(body).lastUserText}`);
    case 'translation': {
      const target = text(field(field(body, 'parameters'), 'tgt_lang')) || 'translated';
      return reply.translation(`[${target}] ${text(field(body, 'inputs'))}`);
    }
    case 'summarization':
      return reply.summary(`summary: ${text(field(body, 'inputs')).split(/\s+/).filter(Boolean).slice(0, 8).join(' ')}`);
    case 'image-to-text':
      return reply.caption(body instanceof Uint8Array ? `a ${sniffImageType(body) ?? 'unknown'} image of ${body.byteLength} bytes` : 'an image');
  }
}
