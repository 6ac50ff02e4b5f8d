import { attachmentKind } from './attachments.js';
import { parseCommandArgs, parseSlashText } from './command.js';
import { UserError } from './errors.js';
import type { Inbound } from './message.js';
import type { Served } from './models.js';
import { usage } from './options.js';
import type { ToolRegistry } from './registry.js';
import type { Tool } from './tool.js';

export interface Intent {
  kind: 'intent';
  tool: Tool;
  /** Validated by the tool's own schema. */
  input: Record<string, unknown>;
  via: 'command' | 'attachment' | 'rules' | 'model';
  /** The model call that chose the tool, when a model did. */
  routedBy?: Served;
}

/** The model answered the message itself rather than calling a tool. */
export interface DirectAnswer {
  kind: 'answer';
  text: string;
  served: Served;
}

export type Routed = Intent | DirectAnswer;

export interface RouteContext {
  messageId: string;
  signal: AbortSignal;
  /** Receives a direct answer's text as it arrives. */
  onText?: (delta: string) => void;
}

/**
 * Reads free text that is not a command. Rules do it offline; a model-driven router that picks a
 * tool by function calling implements the same interface.
 */
export interface FreeTextRouter {
  route(inbound: Inbound, ctx: RouteContext): Promise<Routed | undefined>;
}

/**
 * Decides which tool answers a message: an explicit command names its tool; a file with no text
 * goes to the first tool that reads its kind; other text goes to the free-text router; what
 * nobody claims goes to the fallback tool.
 */
export class Router {
  constructor(
    private readonly registry: ToolRegistry,
    private readonly freeText: FreeTextRouter,
    private readonly fallback: Tool,
  ) {}

  async route(inbound: Inbound, ctx: RouteContext): Promise<Routed> {
    const command = inbound.command ?? parseSlashText(inbound.text);
    if (command) {
      const tool = this.registry.get(command.name);
      if (!tool) throw unknownCommand(command.name, this.registry);
      return { kind: 'intent', tool, input: validateInput(tool, parseCommandArgs(tool, command.args)), via: 'command' };
    }
    const reader = this.#reader(inbound);
    if (reader && !inbound.text.trim()) return { kind: 'intent', tool: reader, input: validateInput(reader, {}), via: 'attachment' };
    const routed = await this.freeText.route(inbound, ctx);
    if (routed) return routed;
    // Words no rule knows beside a file ("what brand is this?" under a photo) are about the file.
    if (reader) return { kind: 'intent', tool: reader, input: validateInput(reader, {}), via: 'attachment' };
    return { kind: 'intent', tool: this.fallback, input: validateInput(this.fallback, {}), via: 'rules' };
  }

  #reader(inbound: Inbound): Tool | undefined {
    const first = inbound.attachments[0];
    const kind = first && attachmentKind(first.mime, first.name);
    return kind ? this.registry.readers(kind)[0] : undefined;
  }
}

export function validateInput(tool: Tool, raw: Record<string, unknown>): Record<string, unknown> {
  const parsed = tool.input.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'input'}: ${issue.message}`).join('; ');
  throw new UserError('invalid_input', `That doesn't fit /${tool.name} (${problems}). Usage: ${usage(tool)}`, {
    detail: { tool: tool.name, issues: parsed.error.issues },
  });
}

function unknownCommand(name: string, registry: ToolRegistry): UserError {
  const names = registry.list().map((tool) => tool.name);
  const close = names.find((candidate) => editDistance(candidate, name) <= 2);
  const hint = close ? `Did you mean /${close}? ` : '';
  return new UserError('unknown_command', `There is no /${name} command. ${hint}Try /help for the list.`);
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
