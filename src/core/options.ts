import { z } from 'zod';
import type { Tool } from './tool.js';

export type OptionType = 'string' | 'integer' | 'number' | 'boolean';

/** One input field of a tool, as a slash command, a usage line or a web form shows it. */
export interface ToolOption {
  name: string;
  type: OptionType;
  description: string | undefined;
  required: boolean;
  choices: string[] | undefined;
  min: number | undefined;
  max: number | undefined;
  /** The field that takes the command's free text. */
  isText: boolean;
}

interface JsonProperty {
  type?: string;
  description?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}

const cache = new WeakMap<Tool, ToolOption[]>();

/** Derived from the tool's zod schema through its JSON schema, the same one a model sees. */
export function toolOptions(tool: Tool): ToolOption[] {
  const cached = cache.get(tool);
  if (cached) return cached;
  const schema = inputJsonSchema(tool) as { properties?: Record<string, JsonProperty>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const options = Object.entries(schema.properties ?? {}).map(([name, prop]): ToolOption => {
    const type = prop.type === 'integer' || prop.type === 'number' || prop.type === 'boolean' ? prop.type : 'string';
    return {
      name,
      type,
      description: prop.description,
      required: required.has(name),
      choices: prop.enum?.map(String),
      min: prop.minimum ?? prop.minLength,
      max: prop.maximum ?? prop.maxLength,
      isText: name === tool.textField,
    };
  });
  cache.set(tool, options);
  return options;
}

export function inputJsonSchema(tool: Tool): Record<string, unknown> {
  return z.toJSONSchema(tool.input, { io: 'input' });
}

/** "/summarize [text] [--sentences <1..10>]" */
export function usage(tool: Tool): string {
  const parts = toolOptions(tool).map((option) => {
    const shown = option.isText ? option.name : `--${option.name}${option.type === 'boolean' ? '' : ` <${valueHint(option)}>`}`;
    return option.required ? shown : `[${shown}]`;
  });
  return [`/${tool.name}`, ...parts].join(' ');
}

function valueHint(option: ToolOption): string {
  if (option.choices) return option.choices.join('|');
  if (option.type !== 'string' && option.min !== undefined && option.max !== undefined) return `${option.min}..${option.max}`;
  return option.type === 'string' ? 'text' : option.type;
}
