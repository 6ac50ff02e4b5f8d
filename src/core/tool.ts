import type { z } from 'zod';
import type { History } from './history.js';
import type { Log } from './log.js';
import type { AttachmentKind, Inbound, Reply } from './message.js';
import type { Models } from './models.js';

export interface ToolContext {
  inbound: Inbound;
  /** The stored id of the inbound message this run answers. */
  messageId: string;
  history: History;
  models: Models;
  log: Log;
  signal: AbortSignal;
  /** Receives reply text as it is produced, for tools that stream. */
  onText?: (delta: string) => void;
}

/**
 * Free text split where a keyword matched: `head` runs from the keyword to the first colon or line
 * break ("to French", "this thread"), `body` is everything after that break.
 */
export interface KeywordText {
  head: string;
  body: string;
}

export interface ToolOutput {
  replies: Reply[];
  /** Which engine did the work, recorded with the run. */
  provider?: string;
  model?: string;
  usage?: { inputTokens: number; outputTokens: number };
  /**
   * False when the replies must not be stored: the tool deleted the message they would answer
   * (/forget). They are still sent.
   */
  keep?: boolean;
}

type InputSchema = z.ZodObject;

export interface ToolSpec<S extends InputSchema> {
  /** Lowercase, as Discord requires of slash command names. */
  name: string;
  /** One line, at most 100 characters (Discord's limit for command descriptions). */
  description: string;
  input: S;
  /** The string field that takes the free text of a command: `/name <text>`. */
  textField?: Extract<keyof z.input<S>, string>;
  /** File kinds this tool reads; a file no registered tool reads is refused before it is stored. */
  accepts?: readonly AttachmentKind[];
  /** Words (any language) that route free text here when no model does the routing. */
  keywords?: readonly string[];
  /** False for a tool a model must never call on its own (one that deletes); default true. */
  modelCallable?: boolean;
  /** Turns the text around a matched keyword into raw input; by default the text fills `textField`. */
  fromText?: (text: KeywordText) => z.input<S>;
  run(input: z.output<S>, ctx: ToolContext): Promise<ToolOutput>;
}

/** A tool with its input type erased, as the registry and router hold it. */
export interface Tool {
  name: string;
  description: string;
  input: InputSchema;
  textField: string | undefined;
  accepts: readonly AttachmentKind[];
  keywords: readonly string[];
  modelCallable: boolean;
  fromText(text: KeywordText): Record<string, unknown>;
  run(input: unknown, ctx: ToolContext): Promise<ToolOutput>;
}

const NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export function defineTool<S extends InputSchema>(spec: ToolSpec<S>): Tool {
  if (!NAME.test(spec.name)) throw new Error(`tool name ${JSON.stringify(spec.name)} must match ${NAME}`);
  if (spec.description.length > 100) throw new Error(`tool ${spec.name}: description is over 100 characters`);
  const { textField } = spec;
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input,
    textField,
    accepts: spec.accepts ?? [],
    keywords: spec.keywords ?? [],
    modelCallable: spec.modelCallable ?? true,
    fromText: (text) => {
      if (spec.fromText) return spec.fromText(text);
      const content = (text.body.trim() || text.head.replace(/^[\s,，:：-]+/, '')).trim();
      return textField && content ? { [textField]: content } : {};
    },
    run: (input, ctx) => spec.run(input as z.output<S>, ctx),
  };
}
