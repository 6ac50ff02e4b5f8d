import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Inbound, Reply } from '../../src/core/message.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { RecentWindows } from '../../src/store/recent-windows.js';
import { backends, type TestDatabase } from '../support/databases.js';

let sequence = 0;
function inbound(conversation: string, text: string, overrides: Partial<Inbound> = {}): Inbound {
  sequence++;
  return {
    eventId: `test:${sequence}:${Math.random()}`,
    conversation: { platform: 'web', key: conversation },
    user: { id: 'web:ann', name: 'Ann' },
    text,
    attachments: [],
    receivedAt: new Date(),
    ...overrides,
  };
}

const run = {
  tool: 'summarize',
  input: { text: 'x' },
  provider: 'local',
  model: 'extractive',
  latencyMs: 3,
  tokensIn: null,
  tokensOut: null,
  outcome: 'ok' as const,
  errorCode: null,
};

describe.each(backends)('HistoryStore on $name', (backend) => {
  let database: TestDatabase;
  let store: HistoryStore;
  let conversation: string;

  beforeAll(async () => {
    database = await backend.open();
    store = new HistoryStore(database);
  });
  afterAll(() => database.destroy());
  beforeEach(() => {
    conversation = `web:conv${Math.random().toString(36).slice(2)}`;
  });

  async function say(text: string, overrides: Partial<Inbound> = {}, replies: Reply[] = [{ type: 'text', text: `re: ${text}` }]) {
    const record = await store.recordInbound(inbound(conversation, text, overrides));
    if (record.status !== 'new') throw new Error('expected a new message');
    const out = await store.recordOutbound({ conversation, replyTo: record.messageId, replies, runs: [run] });
    return { id: record.messageId, out };
  }

  it('appends inbound and outbound messages in order', async () => {
    const first = await say('hello');
    await say('second');
    const page = await store.list(conversation, { limit: 10 });
    expect(page.map((message) => [message.direction, message.text])).toEqual([
      ['in', 'hello'],
      ['out', 're: hello'],
      ['in', 'second'],
      ['out', 're: second'],
    ]);
    expect(page[1]?.replyTo).toBe(first.id);
    expect(page[1]?.user.id).toBe('bot');
    expect(await store.conversationExists(conversation)).toBe(true);
    expect(await store.conversationExists('web:nope')).toBe(false);
  });

  it('takes an event id once, even across calls, and gives the first replies back', async () => {
    const message = inbound(conversation, 'once');
    const first = await store.recordInbound(message);
    if (first.status !== 'new') throw new Error('expected new');
    await store.recordOutbound({ conversation, replyTo: first.messageId, replies: [{ type: 'text', text: 'answer' }], runs: [] });
    const again = await store.recordInbound({ ...message, text: 'changed' });
    expect(again).toEqual({ status: 'duplicate', messageId: first.messageId });
    expect((await store.repliesTo(first.messageId)).map((reply) => reply.text)).toEqual(['answer']);
    expect((await store.list(conversation, { limit: 10 })).filter((m) => m.direction === 'in')).toHaveLength(1);
  });

  it('stores two concurrent messages of one conversation both, each once', async () => {
    await Promise.all([say('a'), say('b'), say('c')]);
    const texts = (await store.list(conversation, { limit: 10 })).filter((m) => m.direction === 'in').map((m) => m.text);
    expect(texts.sort()).toEqual(['a', 'b', 'c']);
  });

  it('keeps uploaded bytes and image replies, readable by id', async () => {
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const { out } = await say('look', { attachments: [{ id: globalThis.crypto.randomUUID(), name: 'a.png', mime: 'image/png', size: 7, bytes }] }, [
      { type: 'text', text: 'a chart:' },
      { type: 'image', name: 'chart.png', mime: 'image/png', alt: 'A bar chart', bytes: new Uint8Array([9, 9]) },
    ]);
    const [message] = await store.list(conversation, { limit: 1, before: out[0]?.id ?? '0' });
    const upload = message?.attachments[0];
    expect(upload).toMatchObject({ name: 'a.png', stored: true });
    expect(Array.from((await store.file(upload?.id ?? ''))?.bytes ?? [])).toEqual(Array.from(bytes));
    const chart = out[1]?.attachments[0];
    expect(chart).toMatchObject({ alt: 'A bar chart', mime: 'image/png', size: 2 });
    expect(Array.from((await store.file(chart?.id ?? ''))?.bytes ?? [])).toEqual([9, 9]);
  });

  it('gives the newest messages that fit a size budget, oldest first', async () => {
    for (const text of ['one '.repeat(50), 'two '.repeat(50), 'three'.repeat(10)]) await say(text);
    const all = await store.list(conversation, { limit: 100 });
    const budget = all.slice(-3).reduce((sum, message) => sum + message.text.length + 1, 0);
    const recent = await store.recent(conversation, { maxChars: budget });
    expect(recent.map((message) => message.id)).toEqual(all.slice(-3).map((message) => message.id));
    const before = await store.recent(conversation, { maxChars: 10_000, before: all[2]?.id ?? '' });
    expect(before.map((message) => message.id)).toEqual(all.slice(0, 2).map((message) => message.id));
    expect(await store.recent(conversation, { maxChars: 10_000, limit: 2 })).toHaveLength(2);
  });

  it('pages backwards through a conversation', async () => {
    for (const text of ['1', '2', '3']) await say(text);
    const last = await store.list(conversation, { limit: 2 });
    expect(last.map((message) => message.text)).toEqual(['3', 're: 3']);
    const earlier = await store.list(conversation, { limit: 2, before: last[0]?.id ?? '' });
    expect(earlier.map((message) => message.text)).toEqual(['2', 're: 2']);
  });

  it('forgets everything of one user and nothing of anyone else', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const fileId = globalThis.crypto.randomUUID();
    await say('mine', { user: { id: 'web:zoe', name: 'Zoe' }, attachments: [{ id: fileId, name: 'n.txt', mime: 'text/plain', size: 3, bytes }] });
    await say('also mine', { user: { id: 'web:zoe', name: 'Zoe' } });
    await say('not mine', { user: { id: 'web:max', name: 'Max' } });
    expect(await store.countUserData('web:zoe')).toEqual({ messages: 4, files: 1, toolRuns: 2, preferences: 0 });
    expect(await store.forgetUser('web:zoe')).toEqual({ messages: 4, files: 1, toolRuns: 2, preferences: 0 });
    expect(await store.countUserData('web:zoe')).toEqual({ messages: 0, files: 0, toolRuns: 0, preferences: 0 });
    expect(await store.file(fileId)).toBeUndefined();
    const left = await store.list(conversation, { limit: 10 });
    expect(left.map((message) => message.text)).toEqual(['not mine', 're: not mine']);
  });

  it('writes messages that arrive together in one go, each answered as if written alone', async () => {
    const alone = Array.from({ length: 30 }, (_, i) => inbound(`${conversation}-${i}`, `hello ${i}`));
    const shared = `${conversation}-shared`;
    const records = await Promise.all([
      ...alone.map((message) => store.recordInbound(message)),
      store.recordInbound({ ...(alone[3] as Inbound), text: 'delivered again' }),
      store.recordInbound(inbound(shared, 'one')),
      store.recordInbound(inbound(shared, 'two')),
    ]);
    const ids = records.slice(0, 30).map((record) => (record.status === 'new' ? record.messageId : 'not new'));
    expect(new Set(ids).size).toBe(30);
    expect(records[30]).toEqual({ status: 'duplicate', messageId: ids[3] });
    for (const [i, message] of alone.entries()) {
      const stored = await store.list(message.conversation.key, { limit: 10 });
      expect(stored.map((row) => [row.id, row.text])).toEqual([[ids[i], `hello ${i}`]]);
      expect(await store.recent(message.conversation.key, { maxChars: 1000, before: ids[i] ?? '' })).toEqual([]);
    }
    const [first, second] = records
      .slice(31)
      .map((record) => (record.status === 'new' ? record.messageId : ''))
      .sort((a, b) => Number(a) - Number(b));
    expect((await store.recent(shared, { maxChars: 1000, before: second ?? '' })).map((row) => row.id)).toEqual([first]);
    expect(await store.recent(shared, { maxChars: 1000, before: first ?? '' })).toEqual([]);
  });

  it('writes the replies of turns that finish together in one go, each turn its own, in order', async () => {
    const user = { id: `web:batch${Math.random().toString(36).slice(2)}`, name: 'Bea' };
    const asked = await Promise.all(Array.from({ length: 12 }, (_, i) => store.recordInbound(inbound(`${conversation}-${i}`, `q${i}`, { user }))));
    const turns = asked.map((record, i) => ({
      conversation: `${conversation}-${i}`,
      replyTo: record.status === 'new' ? record.messageId : '',
      replies: Array.from({ length: 1 + (i % 3) }, (_, k): Reply => ({ type: 'text', text: `r${i}.${k}` })),
      runs: [run],
    }));
    const stored = await Promise.all(turns.map((turn) => store.recordOutbound(turn)));
    for (const [i, replies] of stored.entries()) {
      expect(replies.map((reply) => [reply.text, reply.replyTo])).toEqual(
        turns[i]?.replies.map((reply) => [reply.type === 'text' ? reply.text : '', turns[i]?.replyTo]),
      );
      const page = await store.list(`${conversation}-${i}`, { limit: 10 });
      expect(page.map((message) => message.text)).toEqual([`q${i}`, ...replies.map((reply) => reply.text)]);
    }
    expect(await store.countUserData(user.id)).toEqual({ messages: 12 + 4 * 6, files: 0, toolRuns: 12, preferences: 0 });
  });

  it('stores a lone surrogate (half an emoji) in a text, a file name and a reply as U+FFFD', async () => {
    const half = '😀'.slice(0, 1);
    const file = { id: globalThis.crypto.randomUUID(), name: `notes${half}.txt`, mime: 'text/plain', size: 3, url: 'https://files.example/n' };
    await say(`cut ${half}`, { attachments: [file] }, [{ type: 'text', text: `reply ${half}` }]);
    const [message, reply] = await store.list(conversation, { limit: 10 });
    expect(message?.text).toBe('cut \ufffd');
    expect(message?.attachments[0]?.name).toBe('notes\ufffd.txt');
    expect(reply?.text).toBe('reply \ufffd');
  });

  it('answers a redelivered event after its message was forgotten with no replies', async () => {
    const message = inbound(conversation, 'gone soon', { user: { id: 'web:kim', name: 'Kim' } });
    await store.recordInbound(message);
    await store.forgetUser('web:kim');
    expect(await store.recordInbound(message)).toEqual({ status: 'duplicate', messageId: null });
  });
});

describe.each(backends)('recent history kept in memory, on $name', (backend) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await backend.open();
  });
  afterAll(() => database.destroy());

  it('answers exactly what the database answers, through writes, deletes and evictions', async () => {
    // Small limits, so that trimming, eviction and reads past what is kept all happen.
    const windows = new RecentWindows({ conversations: 2, messages: 8, chars: 300 });
    const take = vi.spyOn(windows, 'take');
    const kept = new HistoryStore(database, { windows });
    const plain = new HistoryStore(database, { windows: undefined });
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const conversations = [1, 2, 3].map((n) => `web:kept${n}${Math.random().toString(36).slice(2)}`);
    const users = [
      { id: 'web:ann', name: 'Ann' },
      { id: `web:gone${Math.random().toString(36).slice(2)}`, name: 'Gone' },
    ];
    const texts = ['hi', 'a longer message about the launch plan', '😀🎉 emoji count as one character each 🎉😀', 'x'.repeat(70), ''];
    const ids: string[] = [];
    let compared = 0;
    for (let step = 0; step < 120; step++) {
      const conversation = conversations[random(3)] ?? '';
      if (step === 60) await kept.forgetUser(users[1]?.id ?? '');
      else {
        const record = await kept.recordInbound(
          inbound(conversation, texts[random(texts.length)] ?? '', { user: users[random(2)] ?? { id: 'web:ann', name: 'Ann' } }),
        );
        if (record.status !== 'new') throw new Error('expected a new message');
        ids.push(record.messageId);
        if (random(3) > 0)
          await kept.recordOutbound({
            conversation,
            replyTo: record.messageId,
            replies: [{ type: 'text', text: texts[random(texts.length)] ?? '' }],
            runs: [],
          });
      }
      for (let read = 0; read < 3; read++) {
        const asked = conversations[random(3)] ?? '';
        const before = random(2) ? { before: ids[Math.max(0, ids.length - 1 - random(4))] ?? '' } : {};
        const options = { maxChars: random(4) ? 1 + random(200) : 100_000, limit: 1 + random(8), ...before };
        expect(await kept.recent(asked, options), `step ${step}, ${JSON.stringify(options)}`).toEqual(await plain.recent(asked, options));
        compared++;
      }
    }
    expect(compared).toBe(360);
    const answered = take.mock.results.filter((result) => result.value !== undefined).length;
    expect(answered).toBeGreaterThan(150);
  });

  it('counts a budget in characters as Postgres does, an emoji as one', async () => {
    const kept = new HistoryStore(database, { windows: new RecentWindows() });
    const plain = new HistoryStore(database, { windows: undefined });
    const conversation = `web:emoji${Math.random().toString(36).slice(2)}`;
    for (const text of ['older', '😀🎉 ok']) await kept.recordInbound(inbound(conversation, text));
    // '😀🎉 ok' is 5 characters (7 UTF-16 units); with its separator it just fits 6.
    for (const maxChars of [5, 6, 12]) {
      const fromMemory = await kept.recent(conversation, { maxChars });
      expect(fromMemory.map((message) => message.text)).toEqual((await plain.recent(conversation, { maxChars })).map((message) => message.text));
      expect(fromMemory).toHaveLength(maxChars === 5 ? 0 : maxChars === 6 ? 1 : 2);
    }
  });
});
