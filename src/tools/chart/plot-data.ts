import { UserError } from '../../core/errors.js';
import { LIMITS } from './limits.js';
import type { Aggregate, ChartOptions, ChartType } from './options.js';
import type { Column, Table, Value } from './table.js';

export type Row = Record<string, Value>;

/** A table shaped for one chart: the x column, the measured field, series when several columns are measured. */
export interface PlotData {
  type: ChartType;
  x: Column;
  /** Field of the measured values in `rows`. */
  measure: { field: string; title: string };
  /** Field naming the series, when several columns are measured at once. */
  series?: string;
  rows: Row[];
  aggregate?: Aggregate;
}

const AGGREGATE_TITLES: Record<Aggregate, string> = { sum: 'sum of', mean: 'average of', count: 'count' };

/**
 * Picks what goes where and combines rows: the x axis is the first column that is not numbers
 * (or the one asked for); every other numeric column is measured, as series when there are
 * several; rows sharing an x are summed unless another aggregate is asked for (a scatter plot
 * keeps them). The result is checked against the row cap after aggregation.
 */
export function plotData(table: Table, options: ChartOptions): PlotData {
  const x = options.x ? findColumn(table, options.x) : (table.columns.find((column) => column.type !== 'quantitative') ?? table.columns[0]);
  if (!x) throw new UserError('invalid_input', `${table.source} has no columns.`);
  const xIndex = table.columns.indexOf(x);
  const onlyColumn = table.columns.length === 1;
  const measured = options.y ? [findColumn(table, options.y)] : table.columns.filter((column, index) => index !== xIndex && column.type === 'quantitative');
  const aggregate = options.aggregate ?? (measured.length === 0 && !(onlyColumn && x.type === 'quantitative') ? 'count' : undefined);
  if (aggregate !== 'count') {
    const asked = measured.length > 0 ? measured : table.columns.filter((_, index) => index !== xIndex).slice(0, 1);
    for (const column of asked) requireNumbers(column, aggregate);
  }

  if (onlyColumn && x.type === 'quantitative' && aggregate !== 'count') return indexed(table, x, options);
  const type = options.type ?? defaultType(table, x, xIndex);
  const measures = aggregate === 'count' ? [] : type === 'pie' ? measured.slice(0, 1) : measured;
  const series = measures.length > 1 ? 'series' : undefined;
  const valueField = series ? 'value' : aggregate === 'count' ? 'count' : fieldName(measures[0]?.name ?? 'value');
  const xField = fieldName(x.name);
  let rows: Row[] = table.rows.flatMap((row) => {
    const xValue = row[xIndex] ?? null;
    if (xValue === null) return [];
    if (measures.length === 0) return [{ [xField]: xValue, count: 1 }];
    return measures.map((column) => {
      const value = row[table.columns.indexOf(column)] ?? null;
      return series ? { [xField]: xValue, series: column.name, value } : { [xField]: xValue, [valueField]: value };
    });
  });
  const combine = aggregate ?? (type !== 'point' && hasDuplicates(rows, xField, series) ? 'sum' : undefined);
  if (combine) rows = combineRows(rows, xField, valueField, series, combine);
  else rows = rows.filter((row) => row[valueField] !== null);
  if (rows.length > LIMITS.rows) {
    throw new UserError(
      'too_much_data',
      `That's ${rows.length.toLocaleString('en-US')} points to draw; I draw up to ${LIMITS.rows.toLocaleString('en-US')}. ` +
        'Group them (for example --aggregate sum with an x column of categories) or send fewer rows.',
    );
  }
  if (rows.length === 0) throw new UserError('invalid_input', `${table.source} has no rows with both an x value and a number.`);
  if (type === 'pie') requireNonNegative(rows, valueField, measures[0]?.name ?? valueField);
  const unit = series ? sharedUnit(measures) : measures[0]?.unit;
  const base = combine === 'count' ? 'count' : series ? 'value' : (measures[0]?.name ?? 'value');
  const title = `${combine && combine !== 'count' ? `${AGGREGATE_TITLES[combine]} ` : ''}${base}${unit ? ` (${unit})` : ''}`;
  return { type, x, measure: { field: valueField, title }, ...(series ? { series } : {}), rows, ...(combine ? { aggregate: combine } : {}) };
}

/** Vega-Lite reads dots and brackets in a field name as nested access. */
export function fieldName(name: string): string {
  return name.replace(/[.[\]\\"']/g, '_');
}

function findColumn(table: Table, name: string): Column {
  const wanted = name.trim().toLowerCase();
  const column = table.columns.find((c) => c.name.toLowerCase() === wanted) ?? table.columns.find((c) => c.name.toLowerCase().startsWith(wanted));
  if (!column) {
    throw new UserError(
      'invalid_input',
      `There's no column “${name}” in ${table.source}. The columns are: ${table.columns.map((c) => `“${c.name}”`).join(', ')}.`,
    );
  }
  return column;
}

function requireNumbers(column: Column | undefined, aggregate: Aggregate | undefined): void {
  if (!column || column.type === 'quantitative') return;
  const example = column.textExample ? ` such as “${column.textExample}”` : '';
  const action = aggregate === 'mean' ? 'average' : aggregate === 'sum' ? 'sum' : 'chart';
  throw new UserError(
    'invalid_input',
    `I can't ${action} “${column.name}”: it holds text${example}, not numbers. Use --aggregate count to count rows instead, or pick a numeric column with --y.`,
    { detail: { column: column.name } },
  );
}

/** A temporal x reads as a line over time; categories as bars; numbers in order as a line, otherwise as points. */
function defaultType(table: Table, x: Column, xIndex: number): ChartType {
  if (x.type === 'temporal') return 'line';
  if (x.type === 'nominal') return 'bar';
  const values = table.rows.map((row) => row[xIndex]).filter((v): v is number => typeof v === 'number');
  return values.every((v, i) => i === 0 || v > (values[i - 1] ?? v)) ? 'line' : 'point';
}

/** One column of numbers: drawn against their row number. */
function indexed(table: Table, column: Column, options: ChartOptions): PlotData {
  const field = fieldName(column.name);
  const rows = table.rows.flatMap((row, i) => (typeof row[0] === 'number' ? [{ '#': i + 1, [field]: row[0] }] : []));
  if (rows.length > LIMITS.rows)
    throw new UserError('too_much_data', `That's ${rows.length.toLocaleString('en-US')} points; I draw up to ${LIMITS.rows.toLocaleString('en-US')}.`);
  const x: Column = { name: '#', type: 'quantitative' };
  return { type: options.type ?? 'line', x, measure: { field, title: `${column.name}${column.unit ? ` (${column.unit})` : ''}` }, rows };
}

function hasDuplicates(rows: Row[], xField: string, series: string | undefined): boolean {
  const seen = new Set<string>();
  for (const row of rows) {
    const key = `${String(row[xField])}\u0000${series ? String(row[series]) : ''}`;
    if (seen.has(key)) return true;
    seen.add(key);
  }
  return false;
}

function combineRows(rows: Row[], xField: string, valueField: string, series: string | undefined, how: Aggregate): Row[] {
  const groups = new Map<string, { row: Row; sum: number; n: number }>();
  for (const row of rows) {
    const key = `${String(row[xField])}\u0000${series ? String(row[series]) : ''}`;
    const group = groups.get(key) ?? { row: { ...row }, sum: 0, n: 0 };
    groups.set(key, group);
    const value = row[valueField];
    if (how === 'count') group.n++;
    else if (typeof value === 'number') {
      group.sum += value;
      group.n++;
    }
  }
  return [...groups.values()].map(({ row, sum, n }) => ({ ...row, [valueField]: how === 'count' ? n : how === 'mean' ? (n ? sum / n : null) : sum }));
}

function requireNonNegative(rows: Row[], field: string, name: string): void {
  const negative = rows.find((row) => typeof row[field] === 'number' && row[field] < 0);
  if (negative) throw new UserError('invalid_input', `A pie can't show negative values (“${name}” has ${String(negative[field])}); try a bar chart.`);
}

function sharedUnit(columns: Column[]): string | undefined {
  const units = new Set(columns.map((column) => column.unit ?? ''));
  const [only] = units;
  return units.size === 1 && only ? only : undefined;
}
