import { CsvError, parse } from 'csv-parse/sync';
import { UserError } from '../../core/errors.js';
import { capitalize, type RawTable } from './table.js';
import { readNumber, readDate } from './values.js';
import { plural } from '../plural.js';

const DELIMITERS = ['\t', ';', ',', '|'] as const;

/**
 * The delimiter of a CSV-like text: of tab, semicolon, comma and bar, the one that splits the first
 * lines into the same number (at least two) of fields. Quotes are respected, so "1,5" in a
 * semicolon file does not count.
 */
export function detectDelimiter(text: string, preferred?: string): string | undefined {
  const sample = text.split(/\r?\n/, 20).filter((line) => line.trim());
  if (sample.length === 0) return undefined;
  const candidates = preferred ? [preferred, ...DELIMITERS.filter((d) => d !== preferred)] : DELIMITERS;
  for (const delimiter of candidates) {
    const counts = sample.map((line) => fieldCount(line, delimiter));
    const first = counts[0] ?? 0;
    if (first >= 2 && counts.every((count) => count === first)) return delimiter;
  }
  return candidates.find((delimiter) => fieldCount(sample[0] ?? '', delimiter) >= 2);
}

function fieldCount(line: string, delimiter: string): number {
  let count = 1;
  let quoted = false;
  for (const char of line) {
    if (char === '"') quoted = !quoted;
    else if (char === delimiter && !quoted) count++;
  }
  return count;
}

/**
 * Parses delimited text into a table, the first row the header unless it holds numbers or dates
 * only. A row with more or fewer fields than the header is refused, naming its line: charting
 * shifted columns would draw wrong numbers without saying so. Empty fields past the header's
 * width (a trailing separator) are forgiven.
 */
export function parseDelimited(text: string, delimiter: string, source: string): RawTable {
  let parsed: Array<{ record: string[]; info: { lines: number } }>;
  try {
    // With `info`, each record comes with the line it was read from; the types do not know it.
    parsed = parse(text, {
      delimiter,
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_quotes: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    throw csvProblem(error, source);
  }
  const records = parsed.map(({ record, info }) => ({ cells: delimiter === '|' ? stripOuterBars(record) : record, line: info.lines }));
  const first = records[0]?.cells;
  if (!first) throw new UserError('invalid_input', `${capitalize(source)} is empty.`);
  for (const { cells, line } of records) {
    const width = cells.length > first.length && cells.slice(first.length).every((cell) => cell === '') ? first.length : cells.length;
    if (width !== first.length) {
      throw new UserError(
        'invalid_input',
        `${capitalize(source)} has a ragged row on line ${line}: it has ${plural(width, 'field')} where the header has ${first.length}. Fix that row (a missing or extra separator?) and send it again.`,
        { detail: { line, width, expected: first.length } },
      );
    }
  }
  const rows = records.map(({ cells }) => cells.slice(0, first.length));
  if (rows.length > 1 && first.every((cell) => readNumber(cell) || readDate(cell))) {
    return { header: first.map((_, i) => (i === 0 ? 'x' : first.length === 2 ? 'y' : `y${i}`)), rows, source };
  }
  return { header: first, rows: rows.slice(1), source };
}

/** Markdown-style rows ("| a | b |") leave an empty field at each end. */
function stripOuterBars(row: string[]): string[] {
  return row.length > 2 && row[0] === '' && row.at(-1) === '' ? row.slice(1, -1) : row;
}

function csvProblem(error: unknown, source: string): UserError {
  const line = error instanceof CsvError && typeof error['lines'] === 'number' ? ` on line ${error['lines']}` : '';
  if (error instanceof CsvError && error.code === 'CSV_QUOTE_NOT_CLOSED') {
    return new UserError('invalid_input', `${capitalize(source)} has a quote that is never closed${line}.`, { cause: error });
  }
  return new UserError('invalid_input', `I couldn't read ${source} as a table${line}.`, { cause: error });
}
