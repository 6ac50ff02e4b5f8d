import { describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/core/message.js';
import { partition } from '../../src/models/summary-parts.js';
import { reply } from '../fakes/inference-server.js';
import { chatRequests, lastText, systemText, useHostedServer, useLocalServer } from '../support/hosted.js';
import { postJson } from '../support/http.js';
import { runsOf, toolFailure } from '../support/runs.js';
const sentence = (n: number) => `Point ${n} of the report explains one more detail of the plan for next year. `;

describe('splitting long input for map-reduce', () => {
  it('keeps messages whole where they fit, cuts one too long into sentences, and every part fits', () => {
    const long = Array.from({ length: 40 }, (_, n) => sentence(n)).join('');
    const parts = partition(
      [
        { speaker: 'Ann', text: 'Short.' },
        { speaker: 'Bob', text: long },
        { speaker: 'Cid', text: 'Also short.' },
      ],
      1000,
    );
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts)
      expect(part.reduce((sum, passage) => sum + (passage.speaker?.length ?? 0) + 2 + passage.text.length + 1, 0)).toBeLessThanOrEqual(1000);
    expect(parts.flat().map((passage) => passage.speaker)).toEqual(['Ann', ...Array.from({ length: parts.flat().length - 2 }, () => 'Bob'), 'Cid']);
    expect(
      parts
        .flat()
        .filter((passage) => passage.speaker === 'Bob')
        .map((passage) => passage.text)
        .join(' '),
    ).toBe(long.trim());
  });
});

describe('summarize with a chat model', () => {
  const setup = useHostedServer();

  it('summarizes a long text in parts, then the parts together, each call within the context', async () => {
    const text = Array.from({ length: 450 }, (_, n) => sentence(n)).join('');
    const before = chatRequests(setup.hosted).length;
    const partial = (n: number) => reply.text(`- Part ${n} covers its points.`, { usage: { prompt_tokens: 100, completion_tokens: 10 } });
    setup.hosted.script('chat', partial(1), partial(2), reply.text('- The plan, in brief.', { usage: { prompt_tokens: 50, completion_tokens: 5 } }));
    const result = await postJson(setup.server.url, { user: 'ann', text: `/summarize ${text}` });
    const calls = chatRequests(setup.hosted).slice(before);
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(lastText(call).length).toBeLessThanOrEqual(24_000);
    expect(calls.slice(0, 2).map(lastText).join(' ')).toBe(text.trim());
    expect(systemText(calls[2])).toContain('summaries of consecutive parts');
    expect(lastText(calls[2])).toBe('- Part 1 covers its points.\n- Part 2 covers its points.');
    expect(result.body.replies?.[0]?.text).toBe('- The plan, in brief.');
    const [run] = await runsOf(setup.database, result.body.message);
    expect(run).toMatchObject({ tool: 'summarize', tokensIn: 250, tokensOut: 25, outcome: 'ok' });
  });

  it('summarizes only the last N messages people wrote, naming them', async () => {
    const first = await postJson(setup.server.url, { user: 'ann', name: 'Ann', text: 'The offsite is in May.' });
    const conversation = first.body.conversation;
    for (const [user, text] of [
      ['bob', 'I booked the venue.'],
      ['cid', 'Catering is still open.'],
      ['dee', 'I can handle catering.'],
    ] as const) {
      await postJson(setup.server.url, { conversation, user, name: user.toUpperCase(), text });
    }
    const before = chatRequests(setup.hosted).length;
    const result = await postJson(setup.server.url, { conversation, user: 'ann', text: '/summarize --messages 2' });
    const [call] = chatRequests(setup.hosted).slice(before);
    expect(lastText(call)).toBe('CID: Catering is still open.\nDEE: I can handle catering.');
    expect(systemText(call)).toContain('Name who said what');
    expect(result.body.replies?.[0]?.text?.split('\n')[0]).toBe('Summary of the last 2 messages:');
  });
});

describe('summarize with no model: the local extractive engine', () => {
  const setup = useLocalServer();

  const say = (conversation: string, text: string, hoursAgo: number, user = 'ann'): Inbound => ({
    eventId: `test:${Math.random()}`,
    conversation: { platform: 'web', key: `web:${conversation}` },
    user: { id: `web:${user}`, name: user.toUpperCase() },
    text,
    attachments: [],
    receivedAt: new Date(Date.now() - hoursAgo * 3_600_000),
  });

  it('reads only the last N hours when asked in words, in English or Chinese', async () => {
    for (const text of ['summarize the last 2 hours', '总结一下过去3小时']) {
      const conversation = `hours${Math.random().toString(36).slice(2)}`;
      await setup.server.app.pipeline.handle(say(conversation, 'Yesterday we chose the blue logo after a long debate.', 20, 'old'));
      await setup.server.app.pipeline.handle(say(conversation, 'This morning the printer delivered the new posters.', 1, 'new'));
      await setup.server.app.pipeline.handle(say(conversation, 'The posters go up in the lobby at noon.', 0.5, 'new'));
      const result = await postJson(setup.server.url, { conversation, user: 'ann', text });
      const summary = result.body.replies?.[0]?.text ?? '';
      expect(summary.split('\n')[0]).toMatch(/^Summary of the last [23] hours \(2 messages\):$/);
      expect(summary).toContain('posters');
      expect(summary).not.toContain('logo');
    }
    const quiet = `quiet${Math.random().toString(36).slice(2)}`;
    await setup.server.app.pipeline.handle(say(quiet, 'An hour ago, this was said.', 1));
    const empty = await postJson(setup.server.url, { conversation: quiet, user: 'ann', text: '/summarize --hours 0.5' });
    expect(await toolFailure(setup.database, empty)).toEqual({
      code: 'nothing_to_summarize',
      text: expect.stringContaining('in the last 0.5 hours') as string,
    });
  });
});
