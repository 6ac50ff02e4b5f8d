import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseCommandArgs, parseSlashText } from '../../src/core/command.js';
import { UserError } from '../../src/core/errors.js';
import { usage } from '../../src/core/options.js';
import { defineTool } from '../../src/core/tool.js';

const tool = defineTool({
  name: 'demo',
  description: 'A tool to parse arguments for',
  input: z.object({
    text: z.string().optional(),
    count: z.number().int().min(1).max(9).optional().describe('How many'),
    loud: z.boolean().optional(),
    mode: z.enum(['fast', 'slow']).optional(),
  }),
  textField: 'text',
  run: () => Promise.resolve({ replies: [] }),
});

describe('parseSlashText', () => {
  it('reads the name and keeps the arguments with their line breaks', () => {
    expect(parseSlashText('  /Summarize first line\nsecond line')).toEqual({ name: 'summarize', args: 'first line\nsecond line' });
    expect(parseSlashText('/help')).toEqual({ name: 'help', args: '' });
  });

  it('does not take paths or plain text for commands', () => {
    expect(parseSlashText('/usr/bin is a path')).toBeUndefined();
    expect(parseSlashText('hello /help')).toBeUndefined();
    expect(parseSlashText('/')).toBeUndefined();
  });
});

describe('parseCommandArgs', () => {
  it('takes --option value, --option=value and bare flags, the rest is text', () => {
    expect(parseCommandArgs(tool, '--count 3 hello   world --loud --mode=slow')).toEqual({ count: 3, loud: true, mode: 'slow', text: 'hello   world' });
  });

  it('keeps unknown --words in the text', () => {
    expect(parseCommandArgs(tool, 'use --verbose here')).toEqual({ text: 'use --verbose here' });
  });

  it('leaves a non-numeric number as text for the schema to refuse', () => {
    expect(parseCommandArgs(tool, '--count many')).toEqual({ count: 'many' });
  });

  it('refuses text for a tool without a text field, showing its usage', () => {
    const bare = defineTool({ name: 'bare', description: 'No text', input: z.object({}), run: () => Promise.resolve({ replies: [] }) });
    expect(() => parseCommandArgs(bare, 'stray words')).toThrow(UserError);
    expect(() => parseCommandArgs(bare, 'stray words')).toThrow('/bare takes no text');
  });
});

describe('usage', () => {
  it('is derived from the schema', () => {
    expect(usage(tool)).toBe('/demo [text] [--count <1..9>] [--loud] [--mode <fast|slow>]');
  });
});

describe('defineTool', () => {
  it('refuses names and descriptions Discord would refuse', () => {
    const base = { description: 'ok', input: z.object({}), run: () => Promise.resolve({ replies: [] }) };
    expect(() => defineTool({ ...base, name: 'Has Space' })).toThrow(/must match/);
    expect(() => defineTool({ ...base, name: 'ok', description: 'x'.repeat(101) })).toThrow(/over 100/);
  });
});
