import { fileTypeFromBuffer } from 'file-type';
import { UserError } from '../../core/errors.js';
import type { Attachment } from '../../core/message.js';
import { detectDelimiter, parseDelimited } from './delimited.js';
import { jsonSource, type JsonSource } from './json-data.js';
import { LIMITS } from './limits.js';

const NEWLINE = 0x0a;

/**
 * Reads an attached CSV, TSV or JSON file. Its lines are counted on the bytes before anything is
 * decoded, so a million-row file is refused in milliseconds; a binary file sent as .csv is named
 * for what it is.
 */
export async function readDataFile(file: Attachment): Promise<JsonSource> {
  const source = file.name;
  if (!file.bytes) throw new UserError('unreadable_file', `I couldn't get the contents of ${source}.`);
  const lines = countLines(file.bytes);
  if (lines > LIMITS.inputRows + 1) {
    throw new UserError(
      'too_much_data',
      `${source} has ${lines.toLocaleString('en-US')} lines; I chart up to ${LIMITS.inputRows.toLocaleString('en-US')} rows. Aggregate it first or send a part of it.`,
      { detail: { lines } },
    );
  }
  const text = await decode(file.bytes, source);
  if (!text.trim()) throw new UserError('invalid_input', `${source} is empty.`);
  if (isJson(file) || /^\s*[[{]/.test(text)) return jsonSource(parseJson(text, source), source);
  const delimiter = detectDelimiter(text, /\.tsv$/i.test(source) || file.mime.includes('tab-separated') ? '\t' : undefined);
  if (!delimiter) throw new UserError('invalid_input', `${source} has one column only or no separators I know (comma, tab, semicolon).`);
  return { table: parseDelimited(text, delimiter, source) };
}

function countLines(bytes: Uint8Array): number {
  let count = 0;
  for (let at = bytes.indexOf(NEWLINE); at >= 0; at = bytes.indexOf(NEWLINE, at + 1)) count++;
  return bytes.at(-1) === NEWLINE ? count : count + 1;
}

async function decode(bytes: Uint8Array, source: string): Promise<string> {
  // Spreadsheets export "Unicode text" as UTF-16 with a byte order mark.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes);
  const sniffed = await fileTypeFromBuffer(bytes);
  if (sniffed) throw new UserError('unreadable_file', `${source} isn't a text file: it looks like ${article(sniffed.ext)} ${sniffed.ext.toUpperCase()} file.`);
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    if (text.includes('\u0000')) throw new Error('NUL byte in text');
    return text;
  } catch (error) {
    throw new UserError('unreadable_file', `${source} isn't a text file (it holds binary data, not UTF-8 text).`, { cause: error });
  }
}

function isJson(file: Attachment): boolean {
  return /\.json$/i.test(file.name) || file.mime.split(';')[0]?.trim() === 'application/json';
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UserError('invalid_input', `${source} isn't valid JSON (${error instanceof Error ? error.message : 'it does not parse'}).`, { cause: error });
  }
}

function article(word: string): string {
  // Extensions are read out as letters: an MP4, an SVG, a PNG.
  return /^[aefhilmnorsx]/i.test(word) ? 'an' : 'a';
}
