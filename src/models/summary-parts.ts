import { inBatches } from '../core/batches.js';
import { addUsage, type Passage, type Served, type Usage } from '../core/models.js';
import { splitSentences } from './local/sentences.js';
import { transcript } from './prompts.js';

type TextServed = Served & { text: string };

/** Parts summarized at once: a long conversation finishes sooner without flooding the provider. */
const PARALLEL = 3;
/** Summaries of summaries; past this the input is not shrinking and the last round is taken. */
const MAX_ROUNDS = 4;

/**
 * Map-reduce: input longer than one call may take is cut into parts that fit (whole messages,
 * or sentences of a message too long on its own), each part is summarized, then the summaries
 * are summarized together, until one call covers it all.
 */
export async function summarizeInParts(
  passages: readonly Passage[],
  points: number,
  maxChars: number,
  summarizeOnce: (passages: Passage[], points: number) => Promise<TextServed>,
): Promise<TextServed> {
  let current = [...passages];
  let usage: Usage | undefined;
  for (let round = 1; ; round++) {
    if (transcript(current).length <= maxChars || round > MAX_ROUNDS) {
      const last = await summarizeOnce(current, points);
      usage = addUsage(usage, last.usage);
      return { ...last, ...(usage ? { usage } : {}) };
    }
    const parts = partition(current, maxChars);
    const summaries = await inBatches(
      parts.map((part) => () => summarizeOnce(part, points)),
      PARALLEL,
    );
    for (const summary of summaries) usage = addUsage(usage, summary.usage);
    current = summaries.map((summary) => ({ text: summary.text }));
  }
}

/** Consecutive passages in groups whose transcript fits `maxChars`; a passage too long alone is cut into sentences. */
export function partition(passages: readonly Passage[], maxChars: number): Passage[][] {
  const groups: Passage[][] = [];
  let group: Passage[] = [];
  let size = 0;
  for (const passage of passages.flatMap((passage) => fitting(passage, maxChars))) {
    const length = transcript([passage]).length + 1;
    if (group.length > 0 && size + length > maxChars) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(passage);
    size += length;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

function fitting(passage: Passage, maxChars: number): Passage[] {
  const room = maxChars - (passage.speaker ? passage.speaker.length + 2 : 0) - 1;
  if (passage.text.length <= room) return [passage];
  const pieces: Passage[] = [];
  let text = '';
  for (const sentence of splitSentences(passage.text).flatMap((sentence) => cut(sentence, room))) {
    if (text && text.length + sentence.length + 1 > room) {
      pieces.push({ ...passage, text });
      text = '';
    }
    text = text ? `${text} ${sentence}` : sentence;
  }
  if (text) pieces.push({ ...passage, text });
  return pieces;
}

function cut(sentence: string, room: number): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < sentence.length; at += room) pieces.push(sentence.slice(at, at + room));
  return pieces;
}
