import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { altText } from '../../src/tools/chart/alt-text.js';
import { buildSpec } from '../../src/tools/chart/build-spec.js';
import { applyOptions } from '../../src/tools/chart/edit-spec.js';
import { plotData } from '../../src/tools/chart/plot-data.js';
import { sandboxSpec } from '../../src/tools/chart/sandbox.js';
import type { Spec } from '../../src/tools/chart/spec-shape.js';
import { typeTable, type RawCell } from '../../src/tools/chart/table.js';

function refusal(work: () => unknown): UserError {
  try {
    work();
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('expected a UserError');
}

const built = (header: string[], rows: RawCell[][], options = {}) => buildSpec(plotData(typeTable({ header, rows, source: 'data' }), options), options);
const fruit = () =>
  built(
    ['fruit', 'count'],
    [
      ['apples', '3'],
      ['pears', '5'],
      ['kiwis', '2'],
    ],
  );
const values = { data: { values: [{ a: 'x', b: 1 }] } };

describe('the sandbox a spec passes before it is drawn', () => {
  it.each([
    ['url data', { data: { url: 'https://example.com/data.csv' }, mark: 'bar' }],
    ['url data in a layer', { ...values, layer: [{ mark: 'bar' }, { data: { url: 'file:///etc/passwd' }, mark: 'line' }] }],
    ['a lookup that loads', { ...values, mark: 'bar', transform: [{ lookup: 'a', from: { data: { url: '/x.json' }, key: 'a' } }] }],
  ])('refuses %s clearly', (_, spec) => {
    expect(refusal(() => sandboxSpec(spec)).message).toBe(
      'That chart spec loads data from a URL. I only draw data that comes with the message: put the rows in data.values, or attach the file.',
    );
  });

  it('refuses image marks and unknown marks, and drops links', () => {
    expect(refusal(() => sandboxSpec({ ...values, mark: 'image' })).message).toContain('Image marks load pictures from URLs');
    expect(refusal(() => sandboxSpec({ ...values, mark: 'sparkle' })).message).toContain("“sparkle” isn't a Vega-Lite mark");
    const safe = sandboxSpec({ ...values, mark: { type: 'bar', href: 'https://evil.example' }, encoding: { href: { field: 'a' }, x: { field: 'a' } } });
    expect(safe).toEqual({ ...values, mark: { type: 'bar' }, encoding: { x: { field: 'a' } } });
  });

  it.each([
    ['a constructor', { calculate: 'datum.constructor', as: 'c' }, '“constructor”'],
    ['a huge sequence', { calculate: 'length(sequence(0, 1e9))', as: 'c' }, '“sequence”'],
    ['this', { filter: { and: ['datum.b > 0', 'this.x'] } }, '“this”'],
    ['a long expression', { calculate: `1${' + 1'.repeat(400)}`, as: 'c' }, 'I take up to 1000'],
  ])('refuses an expression with %s', (_, transform, says) => {
    expect(refusal(() => sandboxSpec({ ...values, mark: 'bar', transform: [transform] })).message).toContain(says);
  });

  it('caps rows, generated sequences, panels and view sizes', () => {
    const rows = Array.from({ length: 5001 }, (_, i) => ({ i }));
    expect(refusal(() => sandboxSpec({ data: { values: rows }, mark: 'point' })).code).toBe('too_much_data');
    expect(refusal(() => sandboxSpec({ data: { sequence: { start: 0, stop: 1e9 } }, mark: 'point' })).message).toContain('1,000,000,000 rows');
    expect(
      refusal(() => sandboxSpec({ ...values, repeat: { row: ['a', 'b', 'c', 'd', 'e'], column: ['a', 'b', 'c', 'd', 'e', 'f'] }, spec: { mark: 'bar' } }))
        .message,
    ).toContain('30 panels');
    expect(refusal(() => sandboxSpec({ ...values, mark: 'bar', width: 100_000 })).message).toContain('too large');
    expect(refusal(() => sandboxSpec({ ...values, mark: 'bar', transform: [{ bin: { maxbins: 1e7 }, field: 'b', as: 'c' }] })).message).toContain('maxbins');
  });

  it('asks for data of its own, and accepts a plain spec unchanged', () => {
    expect(refusal(() => sandboxSpec({ mark: 'bar', encoding: {} })).message).toBe('That chart spec has no data of its own: put the rows in data.values.');
    const spec = { ...values, mark: 'bar', config: { mark: { color: 'red' } }, encoding: { x: { field: 'a', type: 'nominal' } } };
    expect(sandboxSpec(spec)).toEqual(spec);
  });
});

describe('building a spec from data', () => {
  it('draws categories as bars in the order given', () => {
    expect(fruit()).toMatchObject({
      mark: 'bar',
      data: {
        values: [
          { fruit: 'apples', count: 3 },
          { fruit: 'pears', count: 5 },
          { fruit: 'kiwis', count: 2 },
        ],
      },
      encoding: { x: { field: 'fruit', type: 'nominal', sort: null }, y: { field: 'count', type: 'quantitative' } },
    });
  });

  it('draws several measured columns as series, grouped side by side for bars', () => {
    const spec = built(
      ['month', 'revenue', 'costs'],
      [
        ['Jan 2024', '10', '4'],
        ['Feb 2024', '12', '6'],
      ],
      { type: 'bar' },
    );
    expect(spec['encoding']).toMatchObject({
      x: { field: 'month', type: 'ordinal', timeUnit: 'utcyearmonth' },
      color: { field: 'series' },
      xOffset: { field: 'series' },
      y: { field: 'value' },
    });
  });

  it('escapes dots in field names, which Vega-Lite reads as nesting', () => {
    expect(built(['a.b', 'v'], [['x', '1']])['encoding']).toMatchObject({ x: { field: 'a_b', title: 'a.b' } });
  });
});

describe('edits of a stored chart', () => {
  it('changes the type, keeping the data', () => {
    const line = applyOptions(fruit(), { type: 'line' });
    expect(line['mark']).toEqual({ type: 'line', point: true });
    expect(line['data']).toEqual(fruit()['data']);
    const pie = applyOptions(fruit(), { type: 'pie' });
    expect(pie).toMatchObject({ mark: { type: 'arc' }, encoding: { theta: { field: 'count', stack: true }, color: { field: 'fruit', type: 'nominal' } } });
    expect((pie['encoding'] as Record<string, unknown>)['x']).toBeUndefined();
    expect(applyOptions(pie, { type: 'bar' })).toMatchObject({ mark: 'bar', encoding: { x: { field: 'fruit' }, y: { field: 'count' } } });
  });

  it('puts a time axis back on a continuous scale for lines, and on periods for bars', () => {
    const bars = built(
      ['month', 'n'],
      [
        ['2024-01', '1'],
        ['2024-02', '2'],
      ],
      { type: 'bar' },
    );
    const line = applyOptions(bars, { type: 'line' });
    expect(line['encoding']).toMatchObject({ x: { type: 'temporal', timeUnit: 'utcyearmonth' } });
    expect(applyOptions(line, { type: 'bar' })['encoding']).toMatchObject({ x: { type: 'ordinal' } });
  });

  it('sets a log scale, and refuses it for values of zero or below', () => {
    expect(applyOptions(fruit(), { scale: 'log' })['encoding']).toMatchObject({ y: { scale: { type: 'log' } } });
    expect(applyOptions(applyOptions(fruit(), { scale: 'log' }), { scale: 'linear' })['encoding']).toMatchObject({ y: { scale: {} } });
    const withZero = built(
      ['k', 'v'],
      [
        ['a', '0'],
        ['b', '2'],
      ],
    );
    expect(refusal(() => applyOptions(withZero, { scale: 'log' })).message).toBe("A log scale can't show values of zero or below, and “v” has 0.");
    expect(refusal(() => applyOptions(applyOptions(fruit(), { type: 'pie' }), { scale: 'log' })).message).toContain('A pie chart has no value axis');
  });

  it('sorts categories by value, and refuses to sort time', () => {
    expect(applyOptions(fruit(), { sort: 'descending' })['encoding']).toMatchObject({ x: { sort: '-y' } });
    expect(applyOptions(fruit(), { sort: 'ascending' })['encoding']).toMatchObject({ x: { sort: 'y' } });
    expect(applyOptions(applyOptions(fruit(), { type: 'pie' }), { sort: 'descending' })['encoding']).toMatchObject({
      color: { sort: { field: 'count', op: 'sum', order: 'descending' } },
    });
    const overTime = built(
      ['day', 'n'],
      [
        ['2024-01-01', '1'],
        ['2024-01-02', '2'],
      ],
    );
    expect(refusal(() => applyOptions(overTime, { sort: 'descending' })).message).toContain('is time, which keeps its own order');
  });

  it('retitles any chart, and refuses type changes it cannot read', () => {
    const layered: Spec = { ...values, layer: [{ mark: 'bar' }, { mark: 'rule' }] };
    expect(applyOptions(layered, { title: 'New' })['title']).toBe('New');
    expect(applyOptions({ ...fruit(), title: { text: 'Old', fontSize: 20 } }, { title: 'New' })['title']).toEqual({ text: 'New', fontSize: 20 });
    expect(refusal(() => applyOptions(layered, { type: 'line' })).message).toContain("I can't change the type of this chart myself");
  });
});

describe('alt text', () => {
  it('says the kind, the axes, the count and the largest categories', () => {
    expect(altText(applyOptions(fruit(), { title: 'Fruit' }))).toBe(
      'Bar chart titled “Fruit”: count (y axis) by fruit (x axis); 3 bars. Highest: pears 5, apples 3, kiwis 2; lowest: kiwis 2.',
    );
  });

  it('gives shares for a pie and the range over time for a line, with the scale', () => {
    expect(altText(applyOptions(fruit(), { type: 'pie' }))).toBe('Pie chart: count by fruit; 3 slices. Largest: pears 50%, apples 30%, kiwis 20%.');
    const line = built(
      ['month', 'visits'],
      [
        ['2024-01', '1,200'],
        ['2024-02', '900'],
        ['2024-03', '1,500'],
      ],
    );
    expect(altText(applyOptions(line, { scale: 'log' }))).toBe(
      'Line chart: visits on a log scale (y axis) by month (x axis); 3 points. From Jan 2024 to Mar 2024; values range from 900 (Feb 2024) to 1,500 (Mar 2024).',
    );
  });

  it('names the series, and aggregates as the spec does', () => {
    const spec = built(
      ['year', 'north', 'south'],
      [
        ['2020', '1', '4'],
        ['2021', '2', '3'],
      ],
    );
    expect(altText(spec)).toBe(
      'Line chart: value (y axis) by year (x axis), 2 series (north, south); 4 points. From 2020 to 2021; values range from 1 (2020 north) to 4 (2020 south).',
    );
    const written: Spec = {
      data: {
        values: [
          { c: 'a', v: 1 },
          { c: 'a', v: 2 },
          { c: 'b', v: 5 },
        ],
      },
      mark: 'bar',
      encoding: { x: { field: 'c', type: 'nominal' }, y: { field: 'v', aggregate: 'sum', type: 'quantitative' } },
    };
    expect(altText(written)).toBe('Bar chart: sum of v (y axis) by c (x axis); 2 bars. Highest: b 5, a 3; lowest: a 3.');
  });
});
