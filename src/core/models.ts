/**
 * What tools and the router ask of models, by task. Which provider and model answer, with what
 * fallback, retries and timeouts, is decided behind this interface (src/models).
 */

export type ContentPart = { type: 'text'; text: string } | { type: 'image'; mime: string; bytes: Uint8Array };

export interface ToolCall {
  id: string;
  name: string;
  /** The arguments as the model wrote them: JSON text, not yet parsed or validated. */
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string | ContentPart[] }
  | { role: 'assistant'; content: string; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A tool as a model sees it for function calling. */
export interface FunctionSpec {
  name: string;
  description: string;
  /** JSON schema of the arguments. */
  parameters: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** Who answered: recorded with every tool run. */
export interface Served {
  provider: string;
  model: string;
  usage?: Usage;
}

export interface ChatRequest {
  messages: ChatMessage[];
  tools?: FunctionSpec[];
  maxTokens?: number;
  temperature?: number;
}

export interface ChatAnswer extends Served {
  text: string;
  toolCalls: ToolCall[];
}

export interface CallOptions {
  signal: AbortSignal;
  /** Receives the text of the answer as it arrives; when given, the call streams. */
  onText?: (delta: string) => void;
}

export type ModelTask = 'chat' | 'translate' | 'summarize' | 'caption';

/** A piece of text to summarize; `speaker` for a conversation's messages. */
export interface Passage {
  speaker?: string;
  text: string;
}

export interface Models {
  /** Whether any model is configured for the task; tools and the router choose their path by it. */
  has(task: ModelTask): boolean;
  chat(request: ChatRequest, options: CallOptions): Promise<ChatAnswer>;
  /** `target` and `source` are BCP 47 codes: 'fr', 'pt-BR', 'zh-Hant'. */
  translate(input: { text: string; target: string; source?: string }, options: CallOptions): Promise<Served & { text: string }>;
  /** Short "- " bullet points; for a conversation, naming who said what. */
  summarize(input: { passages: Passage[]; points: number }, options: CallOptions): Promise<Served & { text: string }>;
  caption(input: { image: Uint8Array; mime: string; prompt?: string }, options: CallOptions): Promise<Served & { text: string }>;
  /** Text written in an image (OCR, in-process), or undefined when there is none worth keeping or the image can't be read. */
  readText(input: { image: Uint8Array }, options: Pick<CallOptions, 'signal'>): Promise<string | undefined>;
}

/** The sum of the usage of several calls, for a tool that made more than one. */
export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage | undefined {
  if (!a) return b;
  if (!b) return a;
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}
