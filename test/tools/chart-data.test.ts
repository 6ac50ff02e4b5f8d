import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import type { Attachment } from '../../src/core/message.js';
import { readDataFile } from '../../src/tools/chart/file-data.js';
import { onlyFiller, readOptions } from '../../src/tools/chart/options.js';
import { plotData } from '../../src/tools/chart/plot-data.js';
import { typeTable, type RawTable } from '../../src/tools/chart/table.js';
import { findData } from '../../src/tools/chart/text-data.js';
import { readDate, readNumber } from '../../src/tools/chart/values.js';

const file = (name: string, text: string | Uint8Array, mime = ''): Attachment => {
  const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  return { id: name, name, mime, size: bytes.byteLength, bytes };
};

async function refusal(work: () => unknown): Promise<UserError> {
  try {
    await work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

function tableOf(found: ReturnType<typeof findData>): RawTable {
  if (!found.source || !('table' in found.source)) throw new Error('no table found');
  return found.source.table;
}

describe('reading numbers and dates as people write them', () => {
  it.each([
    ['1,234', 1234, ''],
    ['1 234 567', 1234567, ''],
    ['1.234.567,5', 1234567.5, ''],
    ['-12.5', -12.5, ''],
    ['−7', -7, ''],
    ['(1,200)', -1200, ''],
    ['$1,200.50', 1200.5, '$'],
    ['-$5', -5, '$'],
    ['€3.5k', 3500, '€'],
    ['2.5M', 2_500_000, ''],
    ['12%', 12, '%'],
    ['3 kg', 3, 'kg'],
    ['30°C', 30, '°C'],
    ['3万', 30_000, ''],
    ['1e6', 1_000_000, ''],
  ])('%s', (text, value, unit) => {
    expect(readNumber(text)).toEqual({ value, unit });
  });

  it.each(['apples', '3 apples', '12-3', '2024-01-05', '(3', ''])('%s is not a number', (text) => {
    expect(readNumber(text)).toBeUndefined();
  });

  it.each([
    ['2024-03-05', '2024-03-05T00:00:00.000Z', 'day'],
    ['2024/3/5', '2024-03-05T00:00:00.000Z', 'day'],
    ['2024-03', '2024-03-01T00:00:00.000Z', 'month'],
    ['Mar 2024', '2024-03-01T00:00:00.000Z', 'month'],
    ['March 5, 2024', '2024-03-05T00:00:00.000Z', 'day'],
    ['5 Mar 2024', '2024-03-05T00:00:00.000Z', 'day'],
    ['2024年3月', '2024-03-01T00:00:00.000Z', 'month'],
    ['Q2 2024', '2024-04-01T00:00:00.000Z', 'quarter'],
    ['2024-03-05T10:30:00+02:00', '2024-03-05T08:30:00.000Z', 'time'],
    ['03/05/2024', '2024-03-05T00:00:00.000Z', 'day'],
  ])('%s', (text, iso, precision) => {
    expect(readDate(text)).toEqual({ iso, precision });
  });

  it('reads day-first dates when a column shows a day over 12', () => {
    const table = typeTable({
      header: ['day', 'n'],
      rows: [
        ['03/05/2024', '1'],
        ['25/05/2024', '2'],
      ],
      source: 'x',
    });
    expect(table.columns[0]).toMatchObject({ type: 'temporal', precision: 'day' });
    expect(table.rows.map((row) => row[0])).toEqual(['2024-05-03T00:00:00.000Z', '2024-05-25T00:00:00.000Z']);
  });

  it('rejects impossible dates', () => {
    expect(readDate('2024-02-30')).toBeUndefined();
    expect(readDate('2024-13')).toBeUndefined();
  });
});

describe('finding data in the words of a message', () => {
  it('reads "apples 3, pears 5" and keeps the words around it', () => {
    const found = findData('chart apples 3, pears 5 as a pie');
    expect(tableOf(found).rows).toEqual([
      ['apples', '3'],
      ['pears', '5'],
    ]);
    expect(readOptions(found.words).options).toEqual({ type: 'pie' });
  });

  it('keeps thousands separators inside a number, and reads Chinese separators', () => {
    expect(tableOf(findData('plot: north 1,234, south 2,000.5, east -3')).rows).toEqual([
      ['north', '1,234'],
      ['south', '2,000.5'],
      ['east', '-3'],
    ]);
    expect(tableOf(findData('图表：苹果 3，梨 5、橙子 7')).rows).toEqual([
      ['苹果', '3'],
      ['梨', '5'],
      ['橙子', '7'],
    ]);
  });

  it('leaves a description with one number as words', () => {
    expect(findData('chart of world population by continent in 2020').source).toBeUndefined();
  });

  it('reads a Markdown table with the request around it', () => {
    const found = findData('bar chart titled Sales:\n| region | sales |\n|---|--:|\n| north | 10 |\n| south | 7 |\nthanks');
    expect(tableOf(found)).toMatchObject({
      header: ['region', 'sales'],
      rows: [
        ['north', '10'],
        ['south', '7'],
      ],
    });
    expect(readOptions(found.words).options).toEqual({ type: 'bar', title: 'Sales' });
  });

  it('reads CSV and TSV lines, and a fenced block', () => {
    expect(tableOf(findData('plot this\nmonth,visits\nJan,10\nFeb,12')).rows).toEqual([
      ['Jan', '10'],
      ['Feb', '12'],
    ]);
    expect(tableOf(findData('a\tb\nx\t1\ny\t2')).header).toEqual(['a', 'b']);
    expect(tableOf(findData('chart this:\n```csv\ncity;temp\nOslo;"1,5"\nRome;14\n```')).rows).toEqual([
      ['Oslo', '1,5'],
      ['Rome', '14'],
    ]);
  });

  it('takes inline JSON as data or as a spec', () => {
    expect(tableOf(findData('[{"k":"a","v":1},{"k":"b","v":2}]')).rows).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(findData('```json\n{"mark":"bar","data":{"values":[]}}\n```').source).toEqual({ spec: { mark: 'bar', data: { values: [] } } });
  });

  it('names the row of a ragged Markdown table', async () => {
    const error = await refusal(() => findData('| a | b |\n|---|---|\n| x | 1 |\n| y | 2 | 3 |'));
    expect(error.message).toBe('Row 2 of the table in your message has 3 cells where the header has 2.');
  });
});

describe('chart options in plain words', () => {
  it.each([
    ['make it a line chart', { type: 'line' }, true],
    ['as a pie', { type: 'pie' }, true],
    ['use a log scale', { scale: 'log' }, true],
    ['sort descending', { sort: 'descending' }, true],
    ['sort it from smallest first', { sort: 'ascending' }, true],
    ['title it "Fruit sales"', { title: 'Fruit sales' }, true],
    ['改成折线图', { type: 'line' }, true],
    ['用对数坐标', { scale: 'log' }, true],
    ['make the bars red', {}, false],
  ])('%s', (text, options, onlyEdits) => {
    const read = readOptions(text);
    expect(read.options).toEqual(options);
    expect(onlyFiller(read.rest)).toBe(onlyEdits);
  });
});

describe('shaping a table for a chart', () => {
  const sales = typeTable({
    header: ['region', 'month', 'revenue', 'city'],
    rows: [
      ['north', '2024-01', '1,000', 'Oslo'],
      ['south', '2024-01', '500', 'Rome'],
      ['north', '2024-02', '1,500', 'Bergen'],
    ],
    source: 'sales.csv',
  });

  it('types the columns', () => {
    expect(sales.columns.map((column) => column.type)).toEqual(['nominal', 'temporal', 'quantitative', 'nominal']);
  });

  it('sums rows that share an x by default, and draws categories as bars', () => {
    const plot = plotData(sales, {});
    expect(plot).toMatchObject({ type: 'bar', aggregate: 'sum', measure: { field: 'revenue', title: 'sum of revenue' } });
    expect(plot.rows).toEqual([
      { region: 'north', revenue: 2500 },
      { region: 'south', revenue: 500 },
    ]);
  });

  it('draws a time column as a line, and averages or counts on request', () => {
    expect(plotData(sales, { x: 'month' })).toMatchObject({ type: 'line', measure: { title: 'sum of revenue' } });
    expect(plotData(sales, { aggregate: 'mean' }).rows).toEqual([
      { region: 'north', revenue: 1250 },
      { region: 'south', revenue: 500 },
    ]);
    expect(plotData(sales, { aggregate: 'count' }).rows).toEqual([
      { region: 'north', count: 2 },
      { region: 'south', count: 1 },
    ]);
  });

  it('refuses to sum a text column, naming it and a value from it', async () => {
    const error = await refusal(() => plotData(sales, { y: 'city', aggregate: 'sum' }));
    expect(error.message).toBe(
      "I can't sum “city”: it holds text such as “Oslo”, not numbers. Use --aggregate count to count rows instead, or pick a numeric column with --y.",
    );
  });

  it('names the columns when the one asked for is missing', async () => {
    const error = await refusal(() => plotData(sales, { y: 'profit' }));
    expect(error.message).toContain("There's no column “profit” in sales.csv. The columns are: “region”, “month”, “revenue”, “city”.");
  });

  it('refuses more points than it draws, after aggregation', async () => {
    const rows = Array.from({ length: 5001 }, (_, i) => [`item ${i}`, String(i)]);
    const many = typeTable({ header: ['item', 'n'], rows, source: 'big.csv' });
    const error = await refusal(() => plotData(many, {}));
    expect(error.code).toBe('too_much_data');
    expect(error.message).toContain("That's 5,001 points to draw; I draw up to 5,000.");
    const grouped = typeTable({ header: ['group', 'n'], rows: rows.map(([, n], i) => [`g${i % 10}`, n ?? '0']), source: 'big.csv' });
    expect(plotData(grouped, {}).rows).toHaveLength(10);
  });

  it('refuses a pie of negative values', async () => {
    const table = typeTable({
      header: ['k', 'v'],
      rows: [
        ['a', '3'],
        ['b', '-2'],
      ],
      source: 'x',
    });
    expect((await refusal(() => plotData(table, { type: 'pie' }))).message).toContain("A pie can't show negative values (“v” has -2)");
  });
});

describe('reading attached files', () => {
  it('reads CSV, TSV, semicolon CSV and JSON shapes', async () => {
    expect(await readDataFile(file('a.csv', 'fruit,count\napples,3\npears,5\n'))).toEqual({
      table: {
        header: ['fruit', 'count'],
        rows: [
          ['apples', '3'],
          ['pears', '5'],
        ],
        source: 'a.csv',
      },
    });
    expect(await readDataFile(file('a.tsv', 'fruit\tcount\napples\t3\n'))).toMatchObject({ table: { header: ['fruit', 'count'] } });
    expect(await readDataFile(file('eu.csv', 'city;temp\nOslo;1,5\n'))).toMatchObject({ table: { rows: [['Oslo', '1,5']] } });
    expect(await readDataFile(file('a.json', '{"data":[{"k":"a","v":1}]}'))).toMatchObject({ table: { header: ['k', 'v'], rows: [['a', 1]] } });
    expect(await readDataFile(file('c.json', '{"k":["a","b"],"v":[1,2]}'))).toMatchObject({
      table: {
        header: ['k', 'v'],
        rows: [
          ['a', 1],
          ['b', 2],
        ],
      },
    });
    expect(await readDataFile(file('m.json', '{"apples":3,"pears":5}'))).toMatchObject({
      table: {
        rows: [
          ['apples', 3],
          ['pears', 5],
        ],
      },
    });
    expect(await readDataFile(file('s.json', '{"mark":"bar","data":{"values":[]}}'))).toEqual({ spec: { mark: 'bar', data: { values: [] } } });
  });

  it('reads a UTF-16 export from a spreadsheet', async () => {
    const utf16 = new Uint8Array([0xff, 0xfe, ...new Uint8Array(Buffer.from('a\tb\nx\t1\n', 'utf16le'))]);
    expect(await readDataFile(file('export.tsv', utf16))).toMatchObject({ table: { header: ['a', 'b'], rows: [['x', '1']] } });
  });

  it('names the line of a ragged row', async () => {
    const error = await refusal(() => readDataFile(file('sales.csv', 'region,sales\nnorth,10\nsouth,7,3\neast,4\n')));
    expect(error.message).toBe(
      'Sales.csv has a ragged row on line 3: it has 3 fields where the header has 2. Fix that row (a missing or extra separator?) and send it again.',
    );
  });

  it('forgives a trailing separator', async () => {
    expect(await readDataFile(file('t.csv', 'a,b\nx,1,\n'))).toMatchObject({ table: { rows: [['x', '1']] } });
  });

  it('refuses a million rows by counting lines, before parsing', async () => {
    const bytes = new TextEncoder().encode(`x,y\n${'1,2\n'.repeat(1_000_000)}`);
    const error = await refusal(() => readDataFile(file('huge.csv', bytes)));
    expect(error.code).toBe('too_much_data');
    expect(error.message).toBe('huge.csv has 1,000,001 lines; I chart up to 100,000 rows. Aggregate it first or send a part of it.');
  });

  it('says what a binary file really is', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    expect((await refusal(() => readDataFile(file('data.csv', png)))).message).toBe("data.csv isn't a text file: it looks like a PNG file.");
    const noise = new Uint8Array([0x61, 0x2c, 0x62, 0x0a, 0xc3, 0x28, 0x00, 0x01]);
    expect(await refusal(() => readDataFile(file('noise.csv', noise)))).toMatchObject({
      code: 'unreadable_file',
      message: "noise.csv isn't a text file (it holds binary data, not UTF-8 text).",
    });
  });

  it('refuses a Vega (not Vega-Lite) spec and JSON that is not data', async () => {
    expect((await refusal(() => readDataFile(file('v.json', '{"$schema":"https://vega.github.io/schema/vega/v5.json"}')))).message).toContain('is a Vega spec');
    expect((await refusal(() => readDataFile(file('n.json', '42')))).message).toBe('n.json holds a single value, not data to chart.');
    expect((await refusal(() => readDataFile(file('b.json', '{"a": [1, 2')))).message).toMatch(/^b\.json isn't valid JSON/);
  });
});
