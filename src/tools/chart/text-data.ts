import { UserError } from '../../core/errors.js';
import { detectDelimiter, parseDelimited } from './delimited.js';
import { jsonSource, type JsonSource } from './json-data.js';
import type { RawTable } from './table.js';
import { NUMBER_SOURCE } from './values.js';

/** Data found in the words of a request, and the words left around it (the request itself). */
export interface FoundData {
  source?: JsonSource | { table: RawTable };
  words: string;
}

const SOURCE = 'the table in your message';
const FENCE = /```[ \t]*([a-z]*)[ \t]*\n([\s\S]*?)```/i;
const MARKDOWN_RULE = /^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)+\|?\s*$/;
/** Words that ask for a chart, left before the first label of "chart apples 3, pears 5". */
const REQUEST_PREFIX = /^.*?(?:\b(?:chart|plot|graph|draw|visuali[sz]e)\b|图表|画图|作图|绘图)(?:\s+(?:of|for|with|me|showing|these|this|the|my|data))*\s*/i;
const PAIR_SPLIT = /\s*(?:[;；、\n]|[,，](?!\d{3}(?!\d)))\s*/;
const LABEL_FIRST = new RegExp(`^(?<label>.*?[^\\s:=：])\\s*(?:[:=：]|\\bis\\b)?\\s*(?<![\\d.,])(?<number>${NUMBER_SOURCE})(?:\\s+(?<rest>\\D.*))?$`, 'u');
const NUMBER_FIRST = new RegExp(`^(?<number>${NUMBER_SOURCE})\\s+(?<label>\\D.*)$`, 'u');

/**
 * Looks for data in the text, in this order: a fenced block (JSON, CSV or TSV), a Markdown table,
 * lines of CSV/TSV, then pairs like "apples 3, pears 5" (at least two, so that "population in
 * 2020" stays a description).
 */
export function findData(text: string): FoundData {
  const fenced = FENCE.exec(text);
  if (fenced) {
    const words = remove(text, fenced.index, fenced[0].length);
    const body = fenced[2] ?? '';
    if (fenced[1]?.toLowerCase() === 'json' || /^\s*[[{]/.test(body)) return { source: jsonSource(parseJson(body), SOURCE), words };
    return { source: { table: delimitedTable(body) }, words };
  }
  const trimmed = text.trim();
  if (/^[[{]/.test(trimmed)) return { source: jsonSource(parseJson(trimmed), SOURCE), words: '' };
  return markdownTable(text) ?? delimitedLines(text) ?? pairs(text) ?? { words: text };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError('invalid_input', `The JSON in your message doesn't parse (${error instanceof Error ? error.message : 'invalid'}).`, { cause: error });
  }
}

function delimitedTable(body: string): RawTable {
  const delimiter = detectDelimiter(body);
  if (!delimiter) throw new UserError('invalid_input', 'I found a code block but no table in it: use commas, tabs or semicolons between the columns.');
  return parseDelimited(body, delimiter, SOURCE);
}

function markdownTable(text: string): FoundData | undefined {
  const lines = text.split('\n');
  const rule = lines.findIndex((line, i) => i > 0 && MARKDOWN_RULE.test(line) && lines[i - 1]?.includes('|'));
  if (rule < 0) return undefined;
  let end = rule + 1;
  while (end < lines.length && lines[end]?.includes('|')) end++;
  const header = markdownCells(lines[rule - 1] ?? '');
  const rows = lines.slice(rule + 1, end).map(markdownCells);
  const ragged = rows.findIndex((row) => row.length !== header.length);
  if (ragged >= 0) {
    throw new UserError(
      'invalid_input',
      `Row ${ragged + 1} of the table in your message has ${rows[ragged]?.length ?? 0} cells where the header has ${header.length}.`,
    );
  }
  const words = [...lines.slice(0, rule - 1), ...lines.slice(end)].join('\n');
  return { source: { table: { header, rows, source: SOURCE } }, words };
}

function markdownCells(line: string): string[] {
  const cells = line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.replace(/\\\|/g, '|').trim());
  return cells;
}

/** Two or more neighbouring lines that split alike on a tab, semicolon or comma. */
function delimitedLines(text: string): FoundData | undefined {
  const lines = text.split('\n');
  for (let start = 0; start < lines.length - 1; start++) {
    const delimiter = detectDelimiter(`${lines[start] ?? ''}\n${lines[start + 1] ?? ''}`);
    if (!delimiter || delimiter === '|') continue;
    let end = start + 1;
    while (end < lines.length && lines[end]?.trim() && detectDelimiter(`${lines[start] ?? ''}\n${lines[end] ?? ''}`, delimiter) === delimiter) end++;
    const block = lines.slice(start, end);
    if (!block.some((line) => /\d/.test(line)) && block.length < 3) continue;
    const words = [...lines.slice(0, start), ...lines.slice(end)].join('\n');
    return { source: { table: parseDelimited(block.join('\n'), delimiter, SOURCE) }, words };
  }
  return undefined;
}

/** "apples 3, pears 5", "苹果 3，梨 5", "3 apples; 5 pears"; words before the first label and after the last number stay request words. */
function pairs(text: string): FoundData | undefined {
  const items = text.trim().split(PAIR_SPLIT).filter(Boolean);
  const rows: string[][] = [];
  let lead = '';
  let trail = '';
  for (const [index, item] of items.entries()) {
    const match = LABEL_FIRST.exec(item)?.groups ?? NUMBER_FIRST.exec(item)?.groups;
    if (!match?.['label'] || !match['number']) return undefined;
    const last = index === items.length - 1;
    if (match['rest'] && !last) return undefined;
    if (last) trail = match['rest'] ?? '';
    let label = match['label'].trim();
    if (index === 0) {
      const colon = /^.*[:：]\s*/.exec(label)?.[0].length ?? 0;
      const prefix = REQUEST_PREFIX.exec(label.slice(colon))?.[0].length ?? 0;
      lead = label.slice(0, colon + prefix);
      label = label.slice(colon + prefix).trim();
    }
    if (!label) return undefined;
    rows.push([label, match['number']]);
  }
  if (rows.length < 2) return undefined;
  return { source: { table: { header: ['item', 'value'], rows, source: SOURCE } }, words: `${lead} ${trail}`.trim() };
}

function remove(text: string, start: number, length: number): string {
  return `${text.slice(0, start)} ${text.slice(start + length)}`.trim();
}
