import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { charts } from '../../src/store/schema.js';
import { backends, type TestDatabase } from '../support/databases.js';
import { history, postForm, postJson, type ApiReply, type PostResult, type UploadFile } from '../support/http.js';
import { toolFailure } from '../support/runs.js';
import { startServer, type RunningServer } from '../support/server.js';

const csv = (name: string, text: string, type = 'text/csv'): UploadFile => ({ name, type, bytes: new TextEncoder().encode(text) });
const FRUIT_TABLE = '| fruit | sold |\n|---|---|\n| apples | 3 |\n| pears | 5 |\n| kiwis | 2 |';

function expectNoInternals(result: PostResult): void {
  expect(JSON.stringify(result.body)).not.toMatch(/\bat .+:\d+:\d+|\/work\/|node_modules|\.ts\b|Error:/);
}

describe.each(backends)('charts through the web API on $name', (backend) => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await backend.open();
    server = await startServer(database);
  });
  afterAll(async () => {
    await server.close();
    await database.destroy();
  });

  async function image(result: PostResult): Promise<{ reply: ApiReply; png: Uint8Array; width: number; height: number }> {
    expect(result.status).toBe(200);
    const reply = result.body.replies?.[0];
    expect(reply, JSON.stringify(result.body)).toMatchObject({ type: 'image', mime: 'image/png' });
    const response = await fetch(`${server.url}${reply?.url ?? ''}`);
    expect(response.headers.get('content-type')).toBe('image/png');
    const png = new Uint8Array(await response.arrayBuffer());
    const meta = await sharp(png).metadata();
    expect(meta.format).toBe('png');
    return { reply: reply ?? { type: 'image' }, png, width: meta.width, height: meta.height };
  }

  async function lastSpec(conversation: string): Promise<Record<string, unknown> | undefined> {
    const rows = await database.db
      .select()
      .from(charts)
      .where(eq(charts.conversationId, `web:${conversation}`))
      .orderBy(charts.id);
    return rows.at(-1)?.spec;
  }

  it('charts a Markdown table from free text, stores both sides and the spec', async () => {
    const result = await postJson(server.url, { user: 'ann', text: `chart this, titled Fruit sold:\n${FRUIT_TABLE}` });
    const { reply, width, height } = await image(result);
    expect(reply.alt).toBe('Bar chart titled “Fruit sold”: sold (y axis) by fruit (x axis); 3 bars. Highest: pears 5, apples 3, kiwis 2; lowest: kiwis 2.');
    expect(width).toBeGreaterThan(1000);
    expect(height).toBeGreaterThan(600);
    const conversation = result.body.conversation ?? '';
    const messages = await history(server.url, conversation);
    expect(messages.map((message) => message.direction)).toEqual(['in', 'out']);
    expect(messages[1]?.attachments[0]).toMatchObject({ name: 'chart.png', mime: 'image/png', alt: reply.alt });
    expect(await lastSpec(conversation)).toMatchObject({
      mark: 'bar',
      title: 'Fruit sold',
      data: { values: [{ fruit: 'apples', sold: 3 }, expect.anything(), expect.anything()] },
    });
  });

  it('charts CSV text by command and pairs from free text', async () => {
    const byCommand = await image(
      await postJson(server.url, { text: '/chart --type line --title Visits\nmonth,visits\n2024-01,1200\n2024-02,900\n2024-03,1500' }),
    );
    expect(byCommand.reply.alt).toBe(
      'Line chart titled “Visits”: visits (y axis) by month (x axis); 3 points. From Jan 2024 to Mar 2024; values range from 900 (Feb 2024) to 1,500 (Mar 2024).',
    );
    const pairs = await image(await postJson(server.url, { text: 'chart apples 3, pears 5 as a pie' }));
    expect(pairs.reply.alt).toBe('Pie chart: value by item; 2 slices. Largest: pears 62.5%, apples 37.5%.');
    const chinese = await image(await postJson(server.url, { text: '画图：苹果 3，梨 5' }));
    expect(chinese.reply.alt).toContain('Highest: 梨 5, 苹果 3');
  });

  it('charts attached CSV, TSV and JSON files', async () => {
    const bare = await image(await postForm(server.url, {}, [csv('sales.csv', 'region,sales\nnorth,"1,200"\nsouth,800\nnorth,300\n')]));
    expect(bare.reply.alt).toBe('Bar chart: sum of sales (y axis) by region (x axis); 2 bars. Highest: north 1,500, south 800; lowest: south 800.');
    const tsv = await image(
      await postForm(server.url, { text: 'plot the average temp by city' }, [csv('t.tsv', 'city\ttemp\nOslo\t1\nOslo\t3\nRome\t14\n', '')]),
    );
    expect(tsv.reply.alt).toBe('Bar chart: average of temp (y axis) by city (x axis); 2 bars. Highest: Rome 14, Oslo 2; lowest: Oslo 2.');
    const json = await image(
      await postForm(server.url, { text: 'graph it, sort descending' }, [
        csv('d.json', '[{"k":"a","v":1},{"k":"b","v":4},{"k":"c","v":2}]', 'application/json'),
      ]),
    );
    expect(json.reply.alt).toContain('3 bars. Highest: b 4, c 2, a 1');
    const spec = await image(
      await postForm(server.url, {}, [
        csv(
          'spec.json',
          JSON.stringify({
            data: { values: [{ a: 'x', b: 2 }] },
            mark: 'point',
            encoding: { x: { field: 'a', type: 'nominal' }, y: { field: 'b', type: 'quantitative' } },
          }),
          '',
        ),
      ]),
    );
    expect(spec.reply.alt).toBe('Scatter plot: b (y axis) by a (x axis); 1 points. Highest: x 2; lowest: x 2.');
  });

  it('changes the last chart of the conversation, and each change is stored', async () => {
    const first = await postJson(server.url, { text: `/chart ${FRUIT_TABLE}` });
    const conversation = first.body.conversation ?? '';
    const next = async (text: string) => image(await postJson(server.url, { conversation, text }));
    expect((await next('make it a line chart')).reply.alt).toMatch(/^Line chart: sold \(y axis\) by fruit/);
    expect(await lastSpec(conversation)).toMatchObject({ mark: { type: 'line', point: true } });
    expect((await next('use a log scale')).reply.alt).toMatch(/^Line chart: sold on a log scale/);
    expect((await next('sort descending')).reply.alt).toMatch(/^Line chart: sold on a log scale/);
    expect(await lastSpec(conversation)).toMatchObject({ encoding: { x: { sort: '-y' }, y: { scale: { type: 'log' } } } });
    expect((await next('title it "Fruit, sorted"')).reply.alt).toMatch(/^Line chart titled “Fruit, sorted”/);
    expect((await next('as a pie')).reply.alt).toBe('Pie chart titled “Fruit, sorted”: sold by fruit; 3 slices. Largest: pears 50%, apples 30%, kiwis 20%.');
    expect((await next('/chart --type bar')).reply.alt).toMatch(/^Bar chart titled “Fruit, sorted”: sold \(y axis\) by fruit/);
    expect(await history(server.url, conversation)).toHaveLength(14);
  });

  it('says so when there is no chart to change, or nothing to chart', async () => {
    const edit = await postJson(server.url, { text: 'make it a line chart' });
    expect(edit.body.replies?.[0]?.text).toBe(
      "There's no earlier chart in this conversation to change. Send me data to chart first: a table, a CSV/TSV/JSON file, or pairs like “apples 3, pears 5”.",
    );
    expect(await toolFailure(database, edit)).toMatchObject({ code: 'nothing_to_chart' });
    const empty = await postJson(server.url, { text: '/chart' });
    expect(empty.body.replies?.[0]?.text).toMatch(/^Send me data to chart: /);
    const described = await postJson(server.url, { text: 'chart of world population by continent' });
    expect(described.body.replies?.[0]?.text).toMatch(
      /^Drawing a chart from a description needs a chat model, which isn't set up here\. Send the data instead/,
    );
    expect(await toolFailure(database, described)).toMatchObject({ code: 'no_model' });
  });

  describe('bad input gets a clear reply, and history keeps the message and the reply', () => {
    const requests: string[] = [];
    const listener = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('a,b\nx,1\n');
    });
    beforeAll(() => new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve)));
    afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    const cases: Array<[string, () => { fields: Record<string, string>; files: UploadFile[] }, string, RegExp]> = [
      [
        'a CSV with a ragged row',
        () => ({ fields: {}, files: [csv('r.csv', 'a,b\nx,1\ny,2,3\n')] }),
        'invalid_input',
        /^R\.csv has a ragged row on line 3: it has 3 fields where the header has 2\./,
      ],
      [
        'a CSV of a million rows',
        () => ({ fields: {}, files: [csv('m.csv', `x,y\n${'1,2\n'.repeat(1_000_000)}`)] }),
        'too_much_data',
        /^m\.csv has 1,000,001 lines; I chart up to 100,000 rows\./,
      ],
      [
        'a text column asked to be summed',
        () => ({ fields: { text: '/chart --y city --aggregate sum' }, files: [csv('c.csv', 'country,city\nNorway,Oslo\nItaly,Rome\n')] }),
        'invalid_input',
        /^I can't sum “city”: it holds text such as “Oslo”, not numbers\./,
      ],
      [
        'a spec that loads a URL',
        () => ({
          fields: {},
          files: [
            csv(
              'u.json',
              JSON.stringify({ data: { url: `http://127.0.0.1:${(listener.address() as AddressInfo).port}/d.csv` }, mark: 'bar' }),
              'application/json',
            ),
          ],
        }),
        'invalid_input',
        /^That chart spec loads data from a URL\./,
      ],
      [
        'a binary file named .csv',
        () => ({
          fields: {},
          files: [{ name: 'x.csv', type: 'text/csv', bytes: new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }],
        }),
        'unreadable_file',
        /^x\.csv isn't a text file: it looks like a ZIP file\./,
      ],
    ];

    it.each(cases)('%s', async (_, input, code, text) => {
      const { fields, files } = input();
      const result = await postForm(server.url, fields, files);
      expect(result.status).toBe(200);
      expect(result.body.replies?.[0]?.text).toMatch(text);
      expect(await toolFailure(database, result)).toMatchObject({ code });
      expectNoInternals(result);
      const messages = await history(server.url, result.body.conversation ?? '');
      expect(messages.map((message) => [message.direction, message.attachments.length])).toEqual([
        ['in', 1],
        ['out', 0],
      ]);
      expect(requests).toEqual([]);
    });
  });

  it('forgets the charts with the messages they answered', async () => {
    const result = await postJson(server.url, { user: 'zed', text: `/chart ${FRUIT_TABLE}` });
    const conversation = result.body.conversation ?? '';
    expect(await lastSpec(conversation)).toBeDefined();
    await postJson(server.url, { conversation, user: 'zed', text: '/forget confirm' });
    expect(await lastSpec(conversation)).toBeUndefined();
  });
});

describe('an expression that runs away', () => {
  let database: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    const backend = backends[0];
    if (!backend) throw new Error('no backend');
    database = await backend.open();
    server = await startServer(database, { TOOL_TIMEOUT_SECONDS: '3' });
  });
  afterAll(async () => {
    await server.close();
    await database.destroy();
  });

  it('is stopped at the time limit with a clear reply, and the next chart is drawn', async () => {
    const spec = {
      data: { values: [{ s: `${'a'.repeat(40)}!` }] },
      transform: [{ calculate: 'test(/(a+)+$/, datum.s) ? 1 : 0', as: 'hit' }],
      mark: 'bar',
      encoding: { y: { field: 'hit', type: 'quantitative' } },
    };
    const stuck = await postForm(server.url, {}, [csv('loop.json', JSON.stringify(spec), 'application/json')]);
    expect(stuck.body.replies?.[0]?.text).toMatch(/took too long/);
    expect(await toolFailure(database, stuck)).toMatchObject({ code: 'timeout' });
    const after = await postJson(server.url, { conversation: stuck.body.conversation, text: `/chart ${FRUIT_TABLE}` });
    expect(after.body.replies?.[0]).toMatchObject({ type: 'image' });
    expect(await history(server.url, stuck.body.conversation ?? '')).toHaveLength(4);
  }, 30_000);
});
