import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { userPreferences } from '../../src/store/schema.js';
import { reply } from '../fakes/inference-server.js';
import { chatRequests, lastText, systemText, useHostedServer, useLocalServer } from '../support/hosted.js';
import { history, postJson } from '../support/http.js';
import { toolFailure } from '../support/runs.js';

describe('translate', () => {
  const setup = useHostedServer();
  const calls = () => chatRequests(setup.hosted);
  const since = (before: number) => calls().slice(before);

  it('translates into the language named, keeping code, links, mentions and emoji exactly', async () => {
    setup.hosted.script('chat', reply.text('Lancez ⟦0⟧, puis lisez ⟦1⟧ et remerciez ⟦2⟧ ⟦3⟧'));
    const before = calls().length;
    const result = await postJson(setup.server.url, {
      user: 'ann',
      text: '/translate to French: Run `npm ci`, then read https://example.com/a?b=1 and thank @bob 🎉',
    });
    expect(result.status).toBe(200);
    const [request] = since(before);
    expect(systemText(request)).toContain('into French (fr)');
    expect(lastText(request)).toBe('Run ⟦0⟧, then read ⟦1⟧ and thank ⟦2⟧ ⟦3⟧');
    expect(result.body.replies?.[0]?.text).toBe('_Detected language → French_\nLancez `npm ci`, puis lisez https://example.com/a?b=1 et remerciez @bob 🎉');
  });

  it('names the source language it detects and sends it to the model', async () => {
    setup.hosted.script('chat', reply.text('Nous nous retrouvons demain matin à neuf heures devant la gare centrale.'));
    const before = calls().length;
    const result = await postJson(setup.server.url, { user: 'ann', text: '/translate --to fr Wir treffen uns morgen früh um neun Uhr vor dem Hauptbahnhof.' });
    expect(systemText(since(before)[0])).toContain('from German (de) into French (fr)');
    expect(result.body.replies?.[0]?.text?.split('\n')[0]).toBe('_German → French_');
  });

  it('sends prose only, never the code blocks, and keeps them byte for byte', async () => {
    const code = '```python\nprint("to French")  # a comment\n```';
    const before = calls().length;
    const result = await postJson(setup.server.url, { user: 'ann', text: `/translate to German: First run this:\n${code}\nThen you are done.` });
    const sent = since(before).map(lastText);
    expect(sent).toEqual(['First run this:', 'Then you are done.']);
    expect(result.body.replies?.[0]?.text).toBe(`_Detected language → German_\necho: First run this:\n${code}\necho: Then you are done.`);
  });

  it('translates a long text in pieces cut between sentences, and puts them back in order', async () => {
    const sentences = Array.from({ length: 60 }, (_, n) => `Sentence ${n} tells the story of the quarterly planning meeting in some detail.`);
    const before = calls().length;
    const result = await postJson(setup.server.url, { user: 'ann', text: `/translate to Spanish: ${sentences.join(' ')}` });
    const sent = since(before).map(lastText);
    expect(sent.length).toBeGreaterThan(2);
    expect(sent.every((piece) => piece.length <= 1500 && piece.endsWith('detail.'))).toBe(true);
    expect(sent.join(' ')).toBe(sentences.join(' '));
    const text = result.body.replies?.[0]?.text ?? '';
    expect(text.indexOf('Sentence 0 ')).toBeLessThan(text.indexOf('Sentence 59 '));
  });

  it('translates the message replied to, or else the last one, when given no text', async () => {
    const first = await postJson(setup.server.url, { user: 'ann', text: 'Das Meeting ist verschoben.' });
    const conversation = first.body.conversation;
    await postJson(setup.server.url, { conversation, user: 'bob', text: 'Okay, noted.' });
    let before = calls().length;
    await postJson(setup.server.url, { conversation, user: 'cid', text: '/translate to English', replyTo: first.body.message });
    expect(lastText(since(before).at(-1))).toBe('Das Meeting ist verschoben.');
    before = calls().length;
    await postJson(setup.server.url, { conversation, user: 'cid', text: '/translate this to French' });
    expect(lastText(since(before).at(-1))).toBe('Okay, noted.');
    const missing = await postJson(setup.server.url, { conversation, user: 'cid', text: '/translate to English', replyTo: '999999999' });
    expect(missing.status).toBe(404);
  });

  it("remembers a user's target language, and uses it when none is named", async () => {
    const saved = await postJson(setup.server.url, { user: 'dora', text: '/translate --to Japanese --remember' });
    expect(saved.body.replies?.[0]?.text).toContain("I'll translate into Japanese");
    const [row] = await setup.database.db.select().from(userPreferences).where(eq(userPreferences.userId, 'web:dora'));
    expect(row?.settings).toEqual({ translateTo: 'ja' });
    const before = calls().length;
    await postJson(setup.server.url, { user: 'dora', text: '/translate Good morning, everyone' });
    expect(systemText(since(before)[0])).toContain('into Japanese (ja)');
    const other = calls().length;
    await postJson(setup.server.url, { user: 'emil', text: '/translate Bonjour tout le monde' });
    expect(systemText(since(other)[0])).toContain('into English (en)');
  });

  it('says so when the text is already in the target language, without a model call', async () => {
    const before = calls().length;
    const result = await postJson(setup.server.url, {
      user: 'ann',
      text: '/translate to English: This sentence is plainly written in English, as anyone can see.',
    });
    expect(result.body.replies?.[0]?.text).toBe('That is already in English.');
    expect(since(before)).toHaveLength(0);
  });

  it('is reached by function calling from plain words', async () => {
    setup.hosted.script('chat', reply.toolCall('translate', { text: '你好，世界', to: 'English' }), reply.text('Hello, world'));
    const result = await postJson(setup.server.url, { user: 'ann', text: '请把“你好，世界”翻译成英文' });
    expect(result.body.replies?.[0]?.text).toBe('_Chinese → English_\nHello, world');
  });

  it('answers bad input with a clear error and keeps the message', async () => {
    const klingon = await postJson(setup.server.url, { user: 'ann', text: '/translate to Klingon: hello' });
    expect(await toolFailure(setup.database, klingon)).toEqual({ code: 'unknown_language', text: expect.stringContaining('"Klingon"') as string });
    const empty = await postJson(setup.server.url, { user: 'ann', text: '/translate    ' });
    expect((await toolFailure(setup.database, empty)).code).toBe('nothing_to_translate');
    const onlyLinks = await postJson(setup.server.url, { user: 'ann', text: '/translate to German: https://example.com 🎉' });
    expect((await toolFailure(setup.database, onlyLinks)).code).toBe('nothing_to_translate');
    const stored = await history(setup.server.url, klingon.body.conversation ?? '');
    expect(stored[0]?.text).toBe('/translate to Klingon: hello');
  });
});

describe('translate with no model configured', () => {
  const setup = useLocalServer();

  it('is found by keywords in any language and says what to configure', async () => {
    for (const text of ['翻译成英文：你好世界', 'translate to German: good night']) {
      const result = await postJson(setup.server.url, { user: 'ann', text });
      const { code, text: reply } = await toolFailure(setup.database, result);
      expect(code).toBe('no_model');
      expect(reply).toContain('HF_TOKEN');
    }
  });
});
