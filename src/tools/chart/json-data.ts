import { UserError } from '../../core/errors.js';
import { LIMITS } from './limits.js';
import type { RawCell, RawTable } from './table.js';

/** What a JSON document holds for charting: a Vega-Lite spec to draw, or data. */
export type JsonSource = { spec: Record<string, unknown> } | { table: RawTable };

const SPEC_KEYS = ['mark', 'layer', 'hconcat', 'vconcat', 'concat', 'facet', 'repeat'];

/**
 * Reads JSON as a Vega-Lite spec (it has a mark or a composition, or a vega-lite $schema) or as
 * data: an array of objects, arrays or numbers; an object holding one such array ({"data": [...]});
 * an object of equally long arrays (columns); or a flat object of numbers ({"apples": 3}).
 */
export function jsonSource(value: unknown, source: string): JsonSource {
  if (isObject(value)) {
    const schema = typeof value['$schema'] === 'string' ? value['$schema'] : '';
    if (/vega\/v\d|schema\/vega\//i.test(schema) && !/vega-lite/i.test(schema)) {
      throw new UserError('invalid_input', `${source} is a Vega spec; I draw Vega-Lite specs (and plain data).`);
    }
    if (/vega-lite/i.test(schema) || SPEC_KEYS.some((key) => key in value)) return { spec: value };
    return { table: objectTable(value, source) };
  }
  if (Array.isArray(value)) return { table: arrayTable(value, source) };
  throw new UserError('invalid_input', `${source} holds a single value, not data to chart.`);
}

function objectTable(value: Record<string, unknown>, source: string): RawTable {
  const entries = Object.entries(value);
  const arrays = entries.filter(([, v]) => Array.isArray(v));
  const [onlyArray] = arrays;
  if (arrays.length === 1 && onlyArray) return arrayTable(onlyArray[1] as unknown[], source);
  if (arrays.length > 1 && arrays.length === entries.length) {
    const columns = arrays.map(([, v]) => v as unknown[]);
    const length = Math.max(...columns.map((column) => column.length));
    checkRows(length, source);
    return { header: arrays.map(([key]) => key), rows: Array.from({ length }, (_, r) => columns.map((column) => cell(column[r]))), source };
  }
  if (entries.length > 0 && entries.every(([, v]) => typeof v === 'number' || typeof v === 'string')) {
    checkRows(entries.length, source);
    return { header: ['item', 'value'], rows: entries.map(([key, v]) => [key, cell(v)]), source };
  }
  throw new UserError('invalid_input', `I couldn't find rows of data in ${source}: send an array of objects, like [{"fruit": "apples", "count": 3}].`);
}

function arrayTable(items: unknown[], source: string): RawTable {
  checkRows(items.length, source);
  if (items.length === 0) throw new UserError('invalid_input', `${source} holds an empty list.`);
  if (items.every(isObject)) {
    const header = [...new Set(items.slice(0, 1000).flatMap((item) => Object.keys(item)))];
    return { header, rows: items.map((item) => header.map((key) => cell(item[key]))), source };
  }
  if (items.every(Array.isArray)) {
    const [first, ...rest] = items;
    const named = first?.every((v) => typeof v === 'string') && rest.length > 0;
    const width = Math.max(...items.map((row) => row.length));
    const header = named ? first.map(String) : Array.from({ length: width }, (_, i) => (i === 0 ? 'x' : `y${i}`));
    return { header, rows: (named ? rest : items).map((row) => row.map(cell)), source };
  }
  if (items.every((item) => typeof item === 'number' || typeof item === 'string' || item === null)) {
    return { header: ['#', 'value'], rows: items.map((item, i) => [i + 1, cell(item)]), source };
  }
  throw new UserError('invalid_input', `The list in ${source} mixes objects, lists and single values; I need rows of one shape.`);
}

function checkRows(count: number, source: string): void {
  if (count > LIMITS.inputRows) {
    throw new UserError('too_much_data', `${source} has ${count.toLocaleString('en-US')} rows; I chart up to ${LIMITS.inputRows.toLocaleString('en-US')}.`);
  }
}

function cell(value: unknown): RawCell {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
