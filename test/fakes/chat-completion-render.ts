import type { ChatPiece, ChatReply, ToolCallSpec, Usage } from './inference-replies.js';

/** What rendering needs from a chat request (already checked against the TGI schema). */
export interface ChatRequestView {
  model: string;
  stream: boolean;
  includeUsage: boolean;
  /** Text of the last user message: the default answer echoes it. */
  lastUserText: string;
  promptWords: number;
}

type Loose = Record<string, unknown>;

function asObject(value: unknown): Loose {
  return typeof value === 'object' && value !== null ? (value as Loose) : {};
}

/** Text of a message `content`: a string, or the text parts of an array of chunks. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part) => asObject(part).text)
    .filter((text): text is string => typeof text === 'string')
    .join(' ');
}

function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export function readChatRequest(body: unknown): ChatRequestView {
  const request = asObject(body);
  const messages = Array.isArray(request.messages) ? request.messages.map(asObject) : [];
  const userMessages = messages.filter((message) => message.role === 'user');
  return {
    model: typeof request.model === 'string' ? request.model : 'fake-model',
    stream: request.stream === true,
    includeUsage: asObject(request.stream_options).include_usage === true,
    lastUserText: textOf(userMessages.at(-1)?.content),
    promptWords: messages.reduce((sum, message) => sum + countWords(textOf(message.content)), 0),
  };
}

interface PlacedToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
  fragments: number;
}

function argumentsText(call: ToolCallSpec): string {
  return typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
}

/** Gives every tool call of a reply its stream `index` and an id unique in this fake. */
function placeToolCalls(pieces: ChatPiece[], idPrefix: string): Map<ChatPiece, PlacedToolCall> {
  const placed = new Map<ChatPiece, PlacedToolCall>();
  for (const piece of pieces) {
    if (typeof piece === 'string') continue;
    const index = placed.size;
    const { toolCall } = piece;
    placed.set(piece, {
      index,
      id: toolCall.id ?? `${idPrefix}_${index}`,
      name: toolCall.name,
      arguments: argumentsText(toolCall),
      fragments: piece.fragments ?? 3,
    });
  }
  return placed;
}

function usageOf(reply: ChatReply, request: ChatRequestView, calls: PlacedToolCall[]): Usage {
  const text = reply.pieces.filter((piece) => typeof piece === 'string').join('');
  const prompt = reply.usage?.prompt_tokens ?? request.promptWords;
  const completion = reply.usage?.completion_tokens ?? countWords(text) + calls.reduce((sum, call) => sum + countWords(call.arguments), 0);
  return { prompt_tokens: prompt, completion_tokens: completion, total_tokens: reply.usage?.total_tokens ?? prompt + completion };
}

function finishReason(reply: ChatReply, calls: PlacedToolCall[]): string {
  return reply.finishReason ?? (calls.length > 0 ? 'tool_calls' : 'stop');
}

function envelope(sequence: number, request: ChatRequestView, object: string) {
  return { id: `chatcmpl-${sequence}`, object, created: Math.floor(Date.now() / 1000), model: request.model, system_fingerprint: 'fake-inference' };
}

/** The answer as one OpenAI/TGI `ChatCompletion`. */
export function completionBody(reply: ChatReply, request: ChatRequestView, sequence: number): object {
  const calls = [...placeToolCalls(reply.pieces, `call_${sequence}`).values()];
  const text = reply.pieces.filter((piece) => typeof piece === 'string').join('');
  const message: Loose = { role: 'assistant' };
  if (text !== '') message.content = text;
  else if (reply.nullContent) message.content = null;
  else if (calls.length === 0) message.content = '';
  if (calls.length > 0) message.tool_calls = calls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } }));
  return {
    ...envelope(sequence, request, 'chat.completion'),
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason(reply, calls) }],
    usage: usageOf(reply, request, calls),
  };
}

function split(text: string, parts: number): string[] {
  const size = Math.max(1, Math.ceil(text.length / Math.max(1, parts)));
  const fragments: string[] = [];
  for (let start = 0; start < text.length; start += size) fragments.push(text.slice(start, start + size));
  return fragments.length > 0 ? fragments : [''];
}

/**
 * The answer as OpenAI-style `chat.completion.chunk`s (what vLLM, Ollama and the HF router send):
 * an opening chunk with the role, one chunk per text piece, each tool call in fragments (the first
 * with id, type and name, the rest only `index` and more argument text), a finish chunk with an
 * empty delta, and, when the request asked for it, a usage chunk with `choices: []`. The finish and
 * usage chunks come apart (`closing`) so a reply can end its stream some other way.
 */
export function streamChunks(reply: ChatReply, request: ChatRequestView, sequence: number): { answer: object[]; closing: object[] } {
  const placed = placeToolCalls(reply.pieces, `call_${sequence}`);
  const calls = [...placed.values()];
  const head = envelope(sequence, request, 'chat.completion.chunk');
  const usageField = request.includeUsage ? { usage: null } : {};
  const chunk = (delta: object, finish: string | null = null) => ({
    ...head,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
    ...usageField,
  });

  const chunks = [chunk({ role: 'assistant', content: reply.nullContent ? null : '' })];
  for (const piece of reply.pieces) {
    if (typeof piece === 'string') {
      chunks.push(chunk({ content: piece }));
      continue;
    }
    const call = placed.get(piece);
    if (!call) continue;
    split(call.arguments, call.fragments).forEach((fragment, i) => {
      const toolCall =
        i === 0
          ? { index: call.index, id: call.id, type: 'function', function: { name: call.name, arguments: fragment } }
          : { index: call.index, function: { arguments: fragment } };
      chunks.push(chunk({ tool_calls: [toolCall] }));
    });
  }
  const closing: object[] = [chunk({}, finishReason(reply, calls))];
  if (request.includeUsage) closing.push({ ...head, choices: [], usage: usageOf(reply, request, calls) });
  return { answer: chunks, closing };
}
