import { UserError } from './errors.js';
import { toolOptions, usage, type ToolOption } from './options.js';
import type { SlashCommand } from './message.js';
import type { Tool } from './tool.js';

const COMMAND = /^\/([a-z][a-z0-9_-]{0,31})(?:\s+([\s\S]*))?$/i;

/** "/name args" typed as text (web chat, or a platform message that starts with a slash). */
export function parseSlashText(text: string): SlashCommand | undefined {
  const match = COMMAND.exec(text.trim());
  if (!match?.[1]) return undefined;
  return { name: match[1].toLowerCase(), args: match[2] ?? '' };
}

/**
 * Reads `--option value`, `--option=value` and bare `--flag` for the tool's own options; the rest
 * of the text, with its line breaks kept, fills the tool's text field.
 */
export function parseCommandArgs(tool: Tool, args: string): Record<string, unknown> {
  const options = new Map(
    toolOptions(tool)
      .filter((o) => !o.isText)
      .map((o) => [o.name.toLowerCase(), o]),
  );
  const input: Record<string, unknown> = {};
  const removed: Array<[number, number]> = [];
  const tokens = [...args.matchAll(/\S+/g)];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    const flag = token && /^--([a-z][a-z0-9_-]*)(?:=([\s\S]*))?$/i.exec(token[0]);
    const option = flag?.[1] ? options.get(flag[1].toLowerCase()) : undefined;
    if (!token || !flag || !option) continue;
    let end = token.index + token[0].length;
    let value = flag[2];
    if (value === undefined && option.type !== 'boolean') {
      const next = tokens[i + 1];
      if (next) {
        value = next[0];
        end = next.index + next[0].length;
        i++;
      }
    }
    input[option.name] = coerce(option, value);
    removed.push([token.index, end]);
  }
  const rest = removeSpans(args, removed).trim();
  if (rest) {
    if (!tool.textField) throw new UserError('invalid_input', `/${tool.name} takes no text. Usage: ${usage(tool)}`);
    input[tool.textField] = rest;
  }
  return input;
}

function coerce(option: ToolOption, value: string | undefined): unknown {
  if (option.type === 'boolean') return value === undefined || /^(true|yes|on|1)$/i.test(value) ? true : /^(false|no|off|0)$/i.test(value) ? false : value;
  if (value === undefined) return undefined;
  if (option.type === 'integer' || option.type === 'number') {
    const number = Number(value);
    return Number.isFinite(number) ? number : value;
  }
  return value;
}

function removeSpans(text: string, spans: Array<[number, number]>): string {
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    out += text.slice(at, start);
    at = end;
  }
  return out + text.slice(at);
}
