import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { Inbound } from '../../src/core/message.js';
import { ToolRegistry } from '../../src/core/registry.js';
import { Router, type Intent } from '../../src/core/router.js';
import { RulesRouter } from '../../src/core/rules.js';
import { builtinTools } from '../../src/tools/index.js';

const registry = new ToolRegistry(builtinTools({ historyChars: 12_000 }));
const help = registry.get('help');
if (!help) throw new Error('help missing');
const router = new Router(registry, new RulesRouter(registry), help);
const ctx = { messageId: '1', signal: new AbortController().signal };

function inbound(text: string, attachments: Inbound['attachments'] = []): Inbound {
  return { eventId: 'e', conversation: { platform: 'web', key: 'web:c' }, user: { id: 'web:u', name: 'U' }, text, attachments, receivedAt: new Date() };
}

async function route(text: string, attachments?: Inbound['attachments']): Promise<Intent> {
  const routed = await router.route(inbound(text, attachments), ctx);
  if (routed.kind !== 'intent') throw new Error('rules never answer directly');
  return routed;
}

describe('routing free text by rules', () => {
  it.each([
    ['summarize this conversation', 'summarize', {}],
    ['Can you summarise the chat?', 'summarize', {}],
    ['tl;dr', 'summarize', {}],
    ['总结一下这个对话', 'summarize', {}],
    ['请帮我总结', 'summarize', {}],
    ['summarize: The budget grew. Parks were cut.', 'summarize', { text: 'The budget grew. Parks were cut.' }],
    ['总结：预算增加了。公园被削减了。', 'summarize', { text: '预算增加了。公园被削减了。' }],
    ['Please give me a summary of the following\nLine one. Line two.', 'summarize', { text: 'Line one. Line two.' }],
    ['what can you do?', 'help', {}],
    ['帮助', 'help', {}],
    ['describe this', 'describe', {}],
    ['please forget me', 'forget', {}],
  ])('%s -> %s', async (text, tool, input) => {
    const intent = await route(text);
    expect(intent.tool.name).toBe(tool);
    expect(intent.via).toBe('rules');
    expect(intent.input).toEqual(input);
  });

  it('reads only the head: a keyword deep in a pasted text is not a request', async () => {
    const intent = await route(`Here are my notes from the meeting with the whole team\nWe agreed on a summary of the plan.`);
    expect(intent.tool.name).toBe('help');
  });

  it('does not match a keyword inside another word', async () => {
    expect((await route('unsummarizeable things happen')).tool.name).toBe('help');
    expect((await route('I forgot my keys')).tool.name).toBe('help');
  });

  it('falls back to the fallback tool for text nobody claims', async () => {
    expect((await route('hello there')).tool.name).toBe('help');
  });

  it('never deletes from free text: forget without confirm', async () => {
    expect((await route('forget me now, confirm')).input).toEqual({});
  });
});

describe('routing commands and files', () => {
  it('runs a command by name with its options', async () => {
    const intent = await route('/summarize --sentences 2 Some text. More text.');
    expect(intent).toMatchObject({ via: 'command', input: { sentences: 2, text: 'Some text. More text.' } });
    expect(intent.tool.name).toBe('summarize');
  });

  it('validates command input with the tool schema', async () => {
    await expect(route('/summarize --sentences 40 x')).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(route('/forget please')).rejects.toThrow(/Usage: \/forget \[confirm\]/);
  });

  it('answers an unknown command with the closest name', async () => {
    const error = await route('/sumarize text').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('Did you mean /summarize?');
  });

  it('sends a file with no text to the first tool that reads its kind', async () => {
    const image = { id: 'a', name: 'cat.PNG', mime: '', size: 10 };
    const notes = { id: 'b', name: 'notes.md', mime: 'application/octet-stream', size: 10 };
    expect((await route('', [image])).tool.name).toBe('describe');
    expect((await route('  ', [notes])).tool.name).toBe('summarize');
    expect((await route('summarize', [image])).tool.name).toBe('summarize');
  });
});
