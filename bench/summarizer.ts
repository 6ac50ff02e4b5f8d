import { summarizeExtractive } from '../src/models/local/extractive-summarizer.js';
import { GOALS } from './goals.js';
import { PARAGRAPH_WORDS } from './summarizer-text.js';
import { fixed, mark, table } from './table.js';

/** Runs of each size after one warm-up; the median is reported. */
const RUNS = 5;
const SIZES_MIB = [0.25, 1, 4];

/** The local extractive summarizer on prose of growing size, as one text and as a conversation of short messages. */
export function benchSummarizer(): void {
  console.log(
    `Method: summarizeExtractive (src/models/local) in this process on generated English prose (varied sentences from a fixed vocabulary), ` +
      `as one passage and as a conversation of ~200-character messages from 5 speakers, 7 points; median of ${RUNS} runs after a warm-up. MB/s = input bytes (UTF-8) / time.`,
  );
  const rows: string[][] = [];
  let slowest = Infinity;
  for (const mib of SIZES_MIB) {
    const text = prose(mib * 1_048_576);
    const bytes = Buffer.byteLength(text);
    for (const [shape, passages] of [
      ['one text', [{ text }]],
      ['conversation', messages(text)],
    ] as const) {
      summarizeExtractive(passages, 7);
      const times: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const started = performance.now();
        summarizeExtractive(passages, 7);
        times.push(performance.now() - started);
      }
      const median = times.sort((a, b) => a - b)[Math.floor(RUNS / 2)] ?? Number.NaN;
      const rate = bytes / 1_000_000 / (median / 1000);
      slowest = Math.min(slowest, rate);
      rows.push([fixed(bytes / 1_000_000, 2), shape, String(passages.length), fixed(median, 0), fixed(rate, 2)]);
    }
  }
  console.log(table(['input MB', 'shape', 'passages', 'median ms', 'MB/s'], rows, 'rlrrr'));
  console.log(`  ${mark(slowest >= GOALS.minSummarizerMBps)} local summarizer >= ${GOALS.minSummarizerMBps} MB/s: slowest case ${fixed(slowest, 2)} MB/s`);
}

/** Deterministic prose: sentences of 8-20 words drawn by a fixed pseudo-random sequence. */
function prose(chars: number): string {
  let seed = 12_345;
  const next = (n: number) => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const sentences: string[] = [];
  let length = 0;
  while (length < chars) {
    const words = Array.from({ length: 8 + next(13) }, () => PARAGRAPH_WORDS[next(PARAGRAPH_WORDS.length)] ?? 'word');
    const sentence = `${(words[0] ?? '').charAt(0).toUpperCase()}${words.join(' ').slice(1)}.`;
    sentences.push(sentence);
    length += sentence.length + 1;
  }
  return sentences.join(' ');
}

function messages(text: string): { speaker: string; text: string }[] {
  const pieces = text.match(/[^.]+\.(?:\s|$)/g) ?? [text];
  const out: { speaker: string; text: string }[] = [];
  for (let i = 0; i < pieces.length; i += 2)
    out.push({
      speaker: `Person ${(i / 2) % 5}`,
      text: pieces
        .slice(i, i + 2)
        .join('')
        .trim(),
    });
  return out;
}
