import { conversationBefore, currentMessage, systemMessage } from './chat-context.js';
import type { History } from './history.js';
import type { Inbound } from './message.js';
import { addUsage, type ChatAnswer, type ChatMessage, type FunctionSpec, type Models, type Served } from './models.js';
import { inputJsonSchema } from './options.js';
import type { ToolRegistry } from './registry.js';
import type { FreeTextRouter, RouteContext, Routed } from './router.js';
import type { Tool } from './tool.js';

export interface ModelRouterOptions {
  /** How much of the conversation, newest first, goes with each message (about 4 characters a token). */
  historyChars: number;
  botName: string;
}

type Verdict = { tool: Tool; input: Record<string, unknown> } | { text: string } | { problem: string; callId?: string };

/**
 * The model is the kernel, the tools its system calls: free text goes to the chat model with the
 * tools as functions and the recent conversation; a valid tool call becomes the intent, text is
 * the answer (streamed as it comes). A call of an unknown tool, arguments the tool's schema
 * refuses, or an empty answer get one corrective retry, then the model is asked for a plain answer.
 */
export class ModelRouter implements FreeTextRouter {
  readonly #functions: FunctionSpec[];
  readonly #callable: Map<string, Tool>;

  constructor(
    registry: ToolRegistry,
    private readonly models: Models,
    private readonly history: Pick<History, 'recent'>,
    private readonly options: ModelRouterOptions,
  ) {
    const tools = registry.list().filter((tool) => tool.modelCallable);
    this.#callable = new Map(tools.map((tool) => [tool.name, tool]));
    this.#functions = tools.map((tool) => ({ name: tool.name, description: tool.description, parameters: inputJsonSchema(tool) }));
  }

  async route(inbound: Inbound, ctx: RouteContext): Promise<Routed> {
    const messages = [
      systemMessage(this.options.botName),
      ...(await conversationBefore(this.history, inbound.conversation.key, ctx.messageId, this.options.historyChars)),
      currentMessage(inbound),
    ];
    const call = { signal: ctx.signal, ...(ctx.onText ? { onText: ctx.onText } : {}) };
    let answer = await this.models.chat({ messages, tools: this.#functions }, call);
    let usage = answer.usage;
    let verdict = this.#judge(answer);
    if ('problem' in verdict) {
      messages.push(...correction(answer, verdict));
      answer = await this.models.chat({ messages, tools: this.#functions }, call);
      usage = addUsage(usage, answer.usage);
      verdict = this.#judge(answer);
    }
    if ('problem' in verdict) {
      messages.push(...correction(answer, verdict), { role: 'user', content: 'Answer the request directly in plain text, without calling any tool.' });
      answer = await this.models.chat({ messages }, call);
      usage = addUsage(usage, answer.usage);
      verdict = answer.text.trim() ? { text: answer.text } : { text: "Sorry, I couldn't work out an answer to that. Try /help to see what I can do." };
    }
    const served: Served = { provider: answer.provider, model: answer.model, ...(usage ? { usage } : {}) };
    if ('text' in verdict) return { kind: 'answer', text: verdict.text.trim(), served };
    return { kind: 'intent', tool: verdict.tool, input: verdict.input, via: 'model', routedBy: served };
  }

  #judge(answer: ChatAnswer): Verdict {
    const [call] = answer.toolCalls;
    if (!call) return answer.text.trim() ? { text: answer.text } : { problem: 'Your reply was empty.' };
    const tool = this.#callable.get(call.name);
    if (!tool) return { problem: `There is no tool named "${call.name}". The tools are: ${[...this.#callable.keys()].join(', ')}.`, callId: call.id };
    let raw: unknown;
    try {
      raw = call.arguments.trim() ? JSON.parse(call.arguments) : {};
    } catch {
      return { problem: `The arguments for ${tool.name} are not valid JSON.`, callId: call.id };
    }
    const parsed = tool.input.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ');
      return { problem: `The arguments for ${tool.name} are invalid (${issues}).`, callId: call.id };
    }
    return { tool, input: parsed.data };
  }
}

/** What the model is told after a bad answer: its own call, answered with the problem. */
function correction(answer: ChatAnswer, verdict: { problem: string; callId?: string }): ChatMessage[] {
  const instruction = `${verdict.problem} Call one of the tools with valid arguments, or answer directly.`;
  if (!verdict.callId) return [{ role: 'user', content: instruction }];
  return [
    { role: 'assistant', content: answer.text, toolCalls: answer.toolCalls.filter((call) => call.id === verdict.callId) },
    { role: 'tool', toolCallId: verdict.callId, content: instruction },
  ];
}
