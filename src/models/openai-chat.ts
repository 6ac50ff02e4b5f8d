import type { ChatCompletionInput, ChatCompletionOutput, ChatCompletionStreamOutput } from '@huggingface/tasks';
import type { ChatAnswer, ChatMessage, ChatRequest, FunctionSpec, ToolCall, Usage } from '../core/models.js';
import { toDataUrl } from './image-input.js';

type WireMessage = ChatCompletionInput['messages'][number];

/** The OpenAI-compatible chat body (TGI, vLLM, Ollama, llama.cpp, the HF router). */
export async function chatBody(model: string, request: ChatRequest): Promise<ChatCompletionInput> {
  return {
    model,
    messages: await Promise.all(request.messages.map(wireMessage)),
    ...(request.tools?.length ? { tools: wireTools(request.tools), tool_choice: 'auto' } : {}),
    ...(request.maxTokens ? { max_tokens: request.maxTokens } : {}),
    ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
  };
}

/** The router sends the same tool list with every message; it is converted once. */
const wiredTools = new WeakMap<readonly FunctionSpec[], NonNullable<ChatCompletionInput['tools']>>();

function wireTools(tools: readonly FunctionSpec[]): NonNullable<ChatCompletionInput['tools']> {
  let wired = wiredTools.get(tools);
  if (!wired) {
    wired = tools.map(wireTool);
    wiredTools.set(tools, wired);
  }
  return wired;
}

async function wireMessage(message: ChatMessage): Promise<WireMessage> {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      // TGI takes content or tool_calls, not both.
      return message.toolCalls?.length
        ? {
            role: 'assistant',
            tool_calls: message.toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
          }
        : { role: 'assistant', content: message.content };
    case 'user':
      if (typeof message.content === 'string') return { role: 'user', content: message.content };
      return {
        role: 'user',
        content: await Promise.all(
          message.content.map(async (part) =>
            part.type === 'text' ? { type: 'text' as const, text: part.text } : { type: 'image_url' as const, image_url: { url: await toDataUrl(part.bytes) } },
          ),
        ),
      };
  }
}

/** `parameters` is the OpenAI name, `arguments` the name in TGI's schema; servers take the one they know. */
function wireTool(spec: FunctionSpec): NonNullable<ChatCompletionInput['tools']>[number] {
  return { type: 'function', function: { name: spec.name, description: spec.description, parameters: spec.parameters, arguments: spec.parameters } };
}

export function answerFrom(output: ChatCompletionOutput, provider: string, model: string): ChatAnswer {
  const message = output.choices[0]?.message;
  const toolCalls = (message?.tool_calls ?? []).map((call, index): ToolCall => ({
    id: call.id || `call_${index}`,
    name: call.function.name,
    arguments: argumentsText(call.function.arguments),
  }));
  return { provider, model, text: message?.content ?? '', toolCalls, ...usageOf(output.usage) };
}

/** Some servers send tool arguments as an object rather than JSON text. */
function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}

function usageOf(usage: { prompt_tokens?: number; completion_tokens?: number } | null | undefined): { usage?: Usage } {
  return usage ? { usage: { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 } } : {};
}

/** Joins a streamed answer: text deltas in order, tool calls from fragments that share an `index`. */
export class StreamedAnswer {
  #text = '';
  readonly #calls = new Map<number, { id: string; name: string; arguments: string }>();
  #usage: Usage | undefined;

  /** Returns the text delta of the chunk, if any. */
  add(chunk: ChatCompletionStreamOutput): string {
    if (chunk.usage) this.#usage = usageOf(chunk.usage).usage;
    const delta = chunk.choices[0]?.delta;
    if (!delta) return '';
    for (const fragment of delta.tool_calls ?? []) {
      const index = fragment.index;
      const call = this.#calls.get(index) ?? { id: '', name: '', arguments: '' };
      // Servers leave out whatever a fragment does not carry, whatever the declared type says.
      const fn = fragment.function as Partial<typeof fragment.function> | undefined;
      if (fragment.id) call.id = fragment.id;
      if (fn?.name) call.name += fn.name;
      if (fn?.arguments) call.arguments += argumentsText(fn.arguments);
      this.#calls.set(index, call);
    }
    const text = delta.content ?? '';
    this.#text += text;
    return text;
  }

  answer(provider: string, model: string): ChatAnswer {
    const toolCalls = [...this.#calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]): ToolCall => ({ id: call.id || `call_${index}`, name: call.name, arguments: call.arguments || '{}' }));
    return { provider, model, text: this.#text, toolCalls, ...(this.#usage ? { usage: this.#usage } : {}) };
  }
}
