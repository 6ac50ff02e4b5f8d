import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charts } from '../../src/store/schema.js';
import { reply } from '../fakes/inference-server.js';
import { chatBody, chatRequests, lastText, systemText, useHostedServer } from '../support/hosted.js';
import { postJson, type PostResult } from '../support/http.js';
import { runsOf } from '../support/runs.js';

const CHAT_MODEL = 'meta-llama/Llama-4-Scout-17B-16E-Instruct';
const POPULATION = {
  title: 'World population by continent (approximate, 2023)',
  data: {
    values: [
      { continent: 'Asia', population: 4.75 },
      { continent: 'Africa', population: 1.46 },
      { continent: 'Europe', population: 0.74 },
    ],
  },
  mark: 'bar',
  encoding: { x: { field: 'continent', type: 'nominal', sort: '-y' }, y: { field: 'population', type: 'quantitative', title: 'people (billions)' } },
};
const fenced = (spec: unknown) => reply.text(`Here is the chart:\n\`\`\`json\n${JSON.stringify(spec, null, 2)}\n\`\`\``);

describe('charts a chat model writes', () => {
  const setup = useHostedServer();
  const fetched: string[] = [];
  const listener = createServer((req, res) => {
    fetched.push(req.url ?? '');
    res.end('continent,population\nX,1\n');
  });
  beforeAll(() => new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  const imageAlt = (result: PostResult) => {
    expect(result.body.replies?.[0], JSON.stringify(result.body)).toMatchObject({ type: 'image', mime: 'image/png' });
    return result.body.replies?.[0]?.alt ?? '';
  };
  const newCalls = (before: number) => chatRequests(setup.hosted).slice(before);

  it('turns a description into a validated spec, asking for JSON only', async () => {
    const before = chatRequests(setup.hosted).length;
    setup.hosted.script('chat', fenced(POPULATION));
    const result = await postJson(setup.server.url, { text: '/chart world population by continent' });
    expect(imageAlt(result)).toBe(
      'Bar chart titled “World population by continent (approximate, 2023)”: people (billions) (y axis) by continent (x axis); 3 bars. Highest: Asia 4.75, Africa 1.46, Europe 0.74; lowest: Europe 0.74.',
    );
    const [call] = newCalls(before);
    expect(systemText(call)).toContain('Reply with the JSON spec only');
    expect(lastText(call)).toBe('world population by continent');
    expect(chatBody(call).tools).toBeUndefined();
    const [run] = await runsOf(setup.database, result.body.message);
    expect(run).toMatchObject({ tool: 'chart', provider: 'huggingface', model: CHAT_MODEL, outcome: 'ok' });
  });

  it('sends invalid JSON back once with the reason, then draws the corrected spec', async () => {
    const before = chatRequests(setup.hosted).length;
    setup.hosted.script('chat', reply.text('{"mark": "bar", "data": '), fenced(POPULATION));
    const result = await postJson(setup.server.url, { text: '/chart population of the continents' });
    expect(imageAlt(result)).toMatch(/^Bar chart titled “World population/);
    const calls = newCalls(before);
    expect(calls).toHaveLength(2);
    expect(lastText(calls[1])).toMatch(
      /^That spec can't be used: The answer is not valid JSON \(.+\)\. Reply with the corrected, complete spec as JSON only\.$/,
    );
    expect(chatBody(calls[1]).messages.at(-2)).toMatchObject({ role: 'assistant', content: '{"mark": "bar", "data": ' });
  });

  it('refuses a model spec that loads a URL, fetching nothing, and takes the corrected one', async () => {
    const url = `http://127.0.0.1:${(listener.address() as AddressInfo).port}/population.csv`;
    const before = chatRequests(setup.hosted).length;
    setup.hosted.script('chat', fenced({ ...POPULATION, data: { url } }), fenced(POPULATION));
    const result = await postJson(setup.server.url, { text: '/chart population by continent from the UN site' });
    expect(imageAlt(result)).toMatch(/^Bar chart/);
    expect(lastText(newCalls(before)[1])).toContain('That chart spec loads data from a URL.');
    expect(fetched).toEqual([]);
  });

  it('gives up after one correction with a clear reply', async () => {
    setup.hosted.script('chat', reply.text('I cannot draw.'), fenced({ ...POPULATION, mark: 'sparkle' }));
    const result = await postJson(setup.server.url, { text: '/chart something odd' });
    expect(result.body.replies?.[0]?.text).toBe(
      "The chat model didn't manage a chart I can draw (“sparkle” isn't a Vega-Lite mark. Marks are: arc, area, bar, boxplot, circle, errorband, errorbar, geoshape, line, point, rect, rule, square, text, tick, trail). Try describing it differently, or send the data itself.",
    );
  });

  it('is chosen by function calling with its arguments', async () => {
    const before = chatRequests(setup.hosted).length;
    setup.hosted.script('chat', reply.toolCall('chart', { data: 'apples 3, pears 5', type: 'pie', title: 'Fruit' }));
    const result = await postJson(setup.server.url, { text: 'could you show apples 3 and pears 5 as a pie?' });
    expect(imageAlt(result)).toBe('Pie chart titled “Fruit”: value by item; 2 slices. Largest: pears 62.5%, apples 37.5%.');
    const [routing] = newCalls(before);
    const chartTool = (chatBody(routing).tools as Array<{ function: { name: string; parameters: { properties: object } } }>).find(
      (tool) => tool.function.name === 'chart',
    );
    expect(Object.keys(chartTool?.function.parameters.properties ?? {})).toEqual(['data', 'type', 'title', 'x', 'y', 'aggregate', 'sort', 'scale']);
  });

  it('changes the last chart by the rules without a model call, and by the model otherwise, keeping the data', async () => {
    const first = await postJson(setup.server.url, { text: '/chart apples 3, pears 5, kiwis 2' });
    const conversation = first.body.conversation ?? '';
    const before = chatRequests(setup.hosted).length;
    expect(imageAlt(await postJson(setup.server.url, { conversation, text: '/chart log scale' }))).toContain('on a log scale');
    expect(newCalls(before)).toHaveLength(0);

    setup.hosted.script(
      'chat',
      fenced({
        data: { name: 'current' },
        mark: { type: 'bar', color: 'firebrick' },
        encoding: { x: { field: 'item', type: 'nominal' }, y: { field: 'value', type: 'quantitative' } },
      }),
    );
    const red = await postJson(setup.server.url, { conversation, text: '/chart make the bars red' });
    expect(imageAlt(red)).toBe('Bar chart: value (y axis) by item (x axis); 3 bars. Highest: pears 5, apples 3, kiwis 2; lowest: kiwis 2.');
    const [call] = newCalls(before);
    expect(systemText(call)).toContain('"data":{"name":"current"}');
    expect(systemText(call)).toContain('Its data (3 rows) is kept by the bot');
    expect(lastText(call)).toBe('make the bars red');
    const [stored] = await setup.database.db
      .select()
      .from(charts)
      .where(eq(charts.conversationId, `web:${conversation}`))
      .orderBy(charts.id)
      .limit(1)
      .offset(2);
    expect(stored?.spec).toMatchObject({
      mark: { color: 'firebrick' },
      data: {
        values: [
          { item: 'apples', value: 3 },
          { item: 'pears', value: 5 },
          { item: 'kiwis', value: 2 },
        ],
      },
    });
  });
});
