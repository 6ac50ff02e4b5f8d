import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { UserError } from '../../src/core/errors.js';
import type { Inbound } from '../../src/core/message.js';
import type { Pipeline } from '../../src/core/pipeline.js';
import { defineTool } from '../../src/core/tool.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { toolRuns } from '../../src/store/schema.js';
import { openTestPglite, type TestDatabase } from '../support/databases.js';
import { buildPipeline } from '../support/pipeline.js';

const echo = defineTool({
  name: 'echo',
  description: 'Says the text back',
  input: z.object({ text: z.string().optional() }),
  textField: 'text',
  keywords: ['echo'],
  run: (input) =>
    Promise.resolve({ replies: [{ type: 'text', text: input.text ?? '' }], provider: 'test', model: 'parrot', usage: { inputTokens: 3, outputTokens: 4 } }),
});
const broken = defineTool({
  name: 'broken',
  description: 'Fails like a bug would',
  input: z.object({}),
  run: () => Promise.reject(new TypeError("Cannot read properties of undefined (reading 'x') at /srv/app/src/tools/broken.ts:3:9")),
});
const refusing = defineTool({
  name: 'refusing',
  description: 'Fails with a message for the user',
  input: z.object({}),
  run: () => Promise.reject(new UserError('nothing_to_summarize', 'Nothing to do here.')),
});
const slow = defineTool({
  name: 'slow',
  description: 'Takes longer than allowed',
  input: z.object({}),
  run: (_input, ctx) =>
    new Promise((resolve) => ctx.signal.addEventListener('abort', () => setTimeout(() => resolve({ replies: [{ type: 'text', text: 'late' }] }), 50))),
});

let database: TestDatabase;
let history: HistoryStore;
let pipeline: Pipeline;
let log: ReturnType<typeof buildPipeline>['log'];
let counter = 0;

function message(text: string, overrides: Partial<Inbound> = {}): Inbound {
  counter++;
  return {
    eventId: `p:${counter}`,
    conversation: { platform: 'web', key: `web:p${counter}` },
    user: { id: 'web:u', name: 'U' },
    text,
    attachments: [],
    receivedAt: new Date(),
    ...overrides,
  };
}

beforeAll(async () => {
  database = await openTestPglite();
  history = new HistoryStore(database);
  ({ pipeline, log } = buildPipeline(history, [echo, broken, refusing, slow], {}, ['super-secret-token-value']));
});
afterAll(() => database.destroy());

async function runsFor(messageId: string | null) {
  const rows = await database.db.select().from(toolRuns);
  return rows.filter((row) => String(row.messageId) === messageId);
}

describe('Pipeline', () => {
  it('records the run with provider, model, tokens and latency', async () => {
    const result = await pipeline.handle(message('/echo hi there'));
    expect(result.replies.map((reply) => reply.text)).toEqual(['hi there']);
    expect(await runsFor(result.messageId)).toMatchObject([
      { tool: 'echo', provider: 'test', model: 'parrot', tokensIn: 3, tokensOut: 4, outcome: 'ok', input: { text: 'hi there' } },
    ]);
  });

  it('turns a bug into a generic reply with a reference, and logs the cause', async () => {
    const result = await pipeline.handle(message('/broken'));
    const text = result.replies[0]?.text ?? '';
    const ref = /ref ([0-9a-f]{8})/.exec(text)?.[1];
    expect(text).toMatch(/^Something went wrong on my side \(ref [0-9a-f]{8}\)/);
    expect(text).not.toMatch(/undefined|\/srv|\.ts/);
    const line = log.lines.find((entry) => (entry.obj as { ref?: string }).ref === ref);
    expect(line?.level).toBe('error');
    expect(String((line?.obj as { err?: unknown }).err)).toContain('Cannot read properties');
    expect(await runsFor(result.messageId)).toMatchObject([{ tool: 'broken', outcome: 'error', errorCode: 'internal' }]);
  });

  it("shows a user error's own message and records its code", async () => {
    const result = await pipeline.handle(message('/refusing'));
    expect(result.replies[0]?.text).toBe('Nothing to do here.');
    expect(await runsFor(result.messageId)).toMatchObject([{ outcome: 'user_error', errorCode: 'nothing_to_summarize' }]);
  });

  it('stops waiting for a tool at the timeout', async () => {
    const result = await pipeline.handle(message('/slow'));
    expect(result.replies[0]?.text).toMatch(/took too long/);
    expect(await runsFor(result.messageId)).toMatchObject([{ outcome: 'user_error', errorCode: 'timeout' }]);
  });

  it('never stores or shows a configured secret', async () => {
    const result = await pipeline.handle(message('/echo my key is super-secret-token-value ok'));
    expect(result.replies[0]?.text).toBe('my key is [redacted] ok');
    const stored = await history.list(`web:p${counter}`, { limit: 10 });
    expect(stored.map((entry) => entry.text)).toEqual(['/echo my key is [redacted] ok', 'my key is [redacted] ok']);
  });

  it('refuses before storing: empty, too long, too many or too big files, unreadable kinds', async () => {
    const file = (name: string, size = 10) => ({ id: globalThis.crypto.randomUUID(), name, mime: '', size });
    const cases: Array<[Inbound, string]> = [
      [message('   '), 'empty_message'],
      [message('x'.repeat(1001)), 'text_too_long'],
      [message('', { attachments: [file('a.png'), file('b.png'), file('c.png')] }), 'too_many_files'],
      [message('', { attachments: [file('a.txt', 1001)] }), 'file_too_large'],
      [message('', { attachments: [file('a.png')] }), 'unsupported_file'],
    ];
    for (const [inbound, code] of cases) {
      expect(() => pipeline.handle(inbound)).toThrow(expect.objectContaining({ code }) as Error);
      expect(await history.list(inbound.conversation.key, { limit: 5 })).toEqual([]);
    }
  });

  it('refuses more waiting messages in one conversation than the queue takes', async () => {
    const conversation = { platform: 'web' as const, key: 'web:queue' };
    const first = pipeline.handle(message('/slow', { conversation }));
    const second = pipeline.handle(message('/echo b', { conversation }));
    expect(() => pipeline.handle(message('/echo c', { conversation }))).toThrow(expect.objectContaining({ code: 'busy' }) as Error);
    await Promise.all([first, second]);
    expect((await history.list('web:queue', { limit: 10 })).map((entry) => entry.text)).toEqual([
      '/slow',
      expect.stringMatching(/took too long/),
      '/echo b',
      'b',
    ]);
  });
});
