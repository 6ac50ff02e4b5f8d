/**
 * What the fake inference server answers, scripted per route by tests. Build replies with `reply`.
 */

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

export interface ToolCallSpec {
  name: string;
  /** An object is sent as its JSON text; a string is sent as it is (to script broken arguments). */
  arguments: unknown;
  /** Defaults to a fresh `call_<n>`. */
  id?: string;
}

/** A text delta, or a tool call that a stream sends in `fragments` pieces of its arguments. */
export type ChatPiece = string | { toolCall: ToolCallSpec; fragments?: number };

/** How a streamed answer ends after its pieces. */
export type StreamEnd =
  | 'done' // finish chunk, usage chunk when asked for, then `data: [DONE]`
  | 'hang' // stops sending but keeps the connection open: stream-idle timeouts
  | 'drop' // destroys the connection without finishing: a server that died mid-answer
  | { error: string }; // a TGI in-stream error event, `data: {"error": ..., "error_type": "generation"}`

export interface ChatOptions {
  /** Wait before the response starts. */
  delayMs?: number;
  /** Wait between streamed chunks, so a test can see a partial answer. */
  chunkDelayMs?: number;
  /** Overrides parts of the computed usage (word counts of the request and the answer). */
  usage?: Partial<Usage>;
  /** Defaults to 'tool_calls' when the answer calls a tool, else 'stop'. */
  finishReason?: string;
  /**
   * Send `content: null` where the answer has no text, as OpenAI and vLLM do. By default the fake
   * answers like TGI: `content: ''` for an empty answer and no `content` key beside tool calls.
   */
  nullContent?: boolean;
  /** Streams only. Defaults to 'done'. */
  end?: StreamEnd;
}

export interface ChatReply extends ChatOptions {
  kind: 'chat';
  pieces: ChatPiece[];
}

/** Any fixed HTTP answer: task outputs, errors, broken bodies. */
export interface RawReply {
  kind: 'raw';
  status: number;
  headers: Record<string, string>;
  body: string;
  delayMs?: number;
}

/** Never answers; ends when the client aborts or the fake closes. */
export interface HangReply {
  kind: 'hang';
}

export type Reply = ChatReply | RawReply | HangReply;

export interface RawOptions {
  delayMs?: number;
  headers?: Record<string, string>;
}

function json(status: number, body: unknown, options: RawOptions = {}): RawReply {
  return { kind: 'raw', status, headers: { 'content-type': 'application/json', ...options.headers }, body: JSON.stringify(body), delayMs: options.delayMs };
}

/** TGI's error body (`ErrorResponse`): `{ error, error_type }`. */
function error(status: number, message: string, errorType: string, options: RawOptions = {}): RawReply {
  return json(status, { error: message, error_type: errorType }, options);
}

function chat(pieces: ChatPiece[], options: ChatOptions = {}): ChatReply {
  return { kind: 'chat', pieces, ...options };
}

/**
 * Chat replies describe the answer; the fake sends it as one JSON completion or as an SSE stream,
 * whichever the request asked for (`stream: true`), so a script does not depend on the mode.
 */
export const reply = {
  /** A text answer; streamed as a single delta. */
  text: (text: string, options?: ChatOptions) => chat([text], options),
  /** One tool call (arguments streamed in 3 fragments). */
  toolCall: (name: string, args: unknown, options?: ChatOptions) => chat([{ toolCall: { name, arguments: args } }], options),
  toolCalls: (calls: ToolCallSpec[], options?: ChatOptions) =>
    chat(
      calls.map((toolCall) => ({ toolCall })),
      options,
    ),
  /** Any mix of text deltas and tool calls, e.g. `reply.chat(['Let me ', 'check.', { toolCall, fragments: 4 }])`. */
  chat,
  /** No text and no tool calls. */
  empty: (options?: ChatOptions) => chat([], options),

  /** Translation output as hf-inference sends it: `[{ translation_text }]`. */
  translation: (text: string, options?: RawOptions) => json(200, [{ translation_text: text }], options),
  /** Summarization output as hf-inference sends it: `[{ summary_text }]`. */
  summary: (text: string, options?: RawOptions) => json(200, [{ summary_text: text }], options),
  /** Image-to-text output: the client accepts only the object `{ generated_text }`, not an array. */
  caption: (text: string, options?: RawOptions) => json(200, { generated_text: text }, options),
  /** Any JSON body. */
  json: (body: unknown, options: RawOptions & { status?: number } = {}) => json(options.status ?? 200, body, options),

  error: (status: number, message = `HTTP ${status}`, options?: RawOptions) => error(status, message, 'fake', options),
  serverError: (message = 'Incomplete generation', options?: RawOptions) => error(500, message, 'incomplete_generation', options),
  unavailable: (message = 'Model is loading', options?: RawOptions) => error(503, message, 'unavailable', options),
  /** 429 with `Retry-After` in seconds. */
  rateLimited: (retryAfterSeconds: number, options: RawOptions = {}) =>
    error(429, 'Model is overloaded', 'overloaded', { ...options, headers: { 'retry-after': String(retryAfterSeconds), ...options.headers } }),
  badRequest: (message = 'Input validation error', options?: RawOptions) => error(400, message, 'validation', options),
  /** 200 with a JSON content type and a body cut in the middle. */
  malformedJson: (options: RawOptions = {}): RawReply => ({
    kind: 'raw',
    status: 200,
    headers: { 'content-type': 'application/json', ...options.headers },
    body: '{"id":"chatcmpl-broken","choices":[{"index":0,"message":{"role":"assistant","content":"Hel',
    delayMs: options.delayMs,
  }),
  hang: (): HangReply => ({ kind: 'hang' }),
};
