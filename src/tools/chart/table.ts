import { UserError } from '../../core/errors.js';
import { isMissing, readDate, readNumber, readYear, type DatePrecision, type SlashOrder } from './values.js';

export type RawCell = string | number | boolean | null;

/** A table as read from text or a file, before its columns are typed. */
export interface RawTable {
  header: string[];
  rows: RawCell[][];
  /** Where it came from, for messages: "sales.csv", "the table in your message". */
  source: string;
}

export type ColumnType = 'quantitative' | 'temporal' | 'nominal';

export interface Column {
  name: string;
  type: ColumnType;
  /** The unit the numbers were written with ('%', '$', 'kg'), when they share one. */
  unit?: string;
  precision?: DatePrecision;
  /** The first value that is not a number, quoted when a sum of the column is asked for. */
  textExample?: string;
}

export type Value = number | string | null;

export interface Table {
  columns: Column[];
  rows: Value[][];
  source: string;
}

/**
 * Types each column from all of its values: numbers (with units) are quantitative, dates and a
 * first column of years are temporal, anything else is text. Missing values ("", "n/a", "-") are
 * nulls and do not decide a type.
 */
export function typeTable(raw: RawTable): Table {
  if (raw.rows.length === 0) throw new UserError('invalid_input', `${capitalize(raw.source)} has a header but no rows of data.`);
  const names = uniqueNames(raw.header);
  const typed = names.map((name, index) =>
    typeColumn(
      name,
      index,
      raw.rows.map((row) => row[index] ?? null),
    ),
  );
  const rows = raw.rows.map((_, r) => typed.map((column) => column.values[r] ?? null));
  return { columns: typed.map((column) => column.column), rows, source: raw.source };
}

function typeColumn(name: string, index: number, cells: RawCell[]): { column: Column; values: Value[] } {
  const present = cells.map(cellText).filter((text) => !isMissing(text));
  const yearly = (index === 0 || /year|年/i.test(name)) && present.length > 0 && present.every((text) => readYear(text));
  if (yearly) return { column: { name, type: 'temporal', precision: 'year' }, values: cells.map((cell) => dateValue(cell, (text) => readYear(text))) };
  const numbers = present.map(readNumber);
  if (present.length > 0 && numbers.every(Boolean)) {
    const unit = commonUnit(numbers.map((n) => n?.unit ?? ''));
    const values = cells.map((cell) => (typeof cell === 'number' ? cell : isMissing(cellText(cell)) ? null : (readNumber(cellText(cell))?.value ?? null)));
    return { column: { name, type: 'quantitative', ...(unit ? { unit } : {}) }, values };
  }
  const order: SlashOrder = present.some((text) => /^(1[3-9]|2\d|3[01])[/.-]\d{1,2}[/.-]\d{4}$/.test(text)) ? 'dmy' : 'mdy';
  const dates = present.map((text) => readDate(text, order));
  if (present.length > 0 && dates.every(Boolean)) {
    const precision = finest(dates.map((date) => date?.precision ?? 'day'));
    return { column: { name, type: 'temporal', precision }, values: cells.map((cell) => dateValue(cell, (text) => readDate(text, order))) };
  }
  const textExample = present.find((text) => !readNumber(text));
  const values = cells.map((cell) => (cell === null || isMissing(cellText(cell)) ? null : cellText(cell)));
  return { column: { name, type: 'nominal', ...(textExample ? { textExample } : {}) }, values };
}

function dateValue(cell: RawCell, read: (text: string) => { iso: string } | undefined): Value {
  const text = cellText(cell);
  return isMissing(text) ? null : (read(text)?.iso ?? null);
}

function cellText(cell: RawCell): string {
  return cell === null ? '' : String(cell).trim();
}

const PRECISION_ORDER: DatePrecision[] = ['year', 'quarter', 'month', 'day', 'time'];

function finest(precisions: DatePrecision[]): DatePrecision {
  return precisions.reduce((a, b) => (PRECISION_ORDER.indexOf(b) > PRECISION_ORDER.indexOf(a) ? b : a), 'year');
}

function commonUnit(units: string[]): string {
  const counts = new Map<string, number>();
  for (const unit of units) if (unit) counts.set(unit, (counts.get(unit) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}

function uniqueNames(header: string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((raw, index) => {
    const base = raw.trim() || `column ${index + 1}`;
    const count = (seen.get(base.toLowerCase()) ?? 0) + 1;
    seen.set(base.toLowerCase(), count);
    return count === 1 ? base : `${base} (${count})`;
  });
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
