import { splitSentences } from './sentences.js';
import { terms } from './terms.js';

import type { Passage } from '../../core/models.js';

export interface Picked {
  speaker?: string;
  sentence: string;
}

interface Candidate extends Picked {
  position: number;
  terms: Set<string>;
  score: number;
}

/** Two sentences sharing more than this share of their terms say the same thing. */
const REDUNDANT = 0.5;
const MAX_SENTENCE_CHARS = 300;

/**
 * Extractive summary, offline: sentences are scored by how frequent their content terms are in
 * the whole input (normalized for length, with a small lead bonus), the best are taken while
 * skipping near-repeats, and returned in their original order.
 */
export function summarizeExtractive(passages: readonly Passage[], points: number): Picked[] {
  const candidates: Candidate[] = [];
  const frequency = new Map<string, number>();
  for (const passage of passages) {
    for (const sentence of splitSentences(passage.text)) {
      const sentenceTerms = terms(sentence);
      for (const term of sentenceTerms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
      candidates.push({
        ...(passage.speaker ? { speaker: passage.speaker } : {}),
        sentence,
        position: candidates.length,
        terms: new Set(sentenceTerms),
        score: 0,
      });
    }
  }
  let top = 1;
  for (const n of frequency.values()) if (n > top) top = n;
  for (const candidate of candidates) {
    let sum = 0;
    for (const term of candidate.terms) sum += (frequency.get(term) ?? 0) / top;
    const lead = 1 + 0.5 / (1 + candidate.position);
    const tooShort = candidate.terms.size < 3 ? 0.5 : 1;
    candidate.score = (sum / Math.sqrt(candidate.terms.size || 1)) * lead * tooShort;
  }
  const picked: Candidate[] = [];
  for (const candidate of [...candidates].sort((a, b) => b.score - a.score)) {
    if (picked.length >= points) break;
    if (candidate.terms.size === 0 && candidates.length > points) continue;
    if (picked.some((chosen) => overlap(chosen.terms, candidate.terms) > REDUNDANT)) continue;
    picked.push(candidate);
  }
  return picked.sort((a, b) => a.position - b.position).map(({ speaker, sentence }) => ({ ...(speaker ? { speaker } : {}), sentence: clip(sentence) }));
}

function overlap(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / Math.min(a.size, b.size);
}

function clip(sentence: string): string {
  return sentence.length > MAX_SENTENCE_CHARS ? `${sentence.slice(0, MAX_SENTENCE_CHARS - 1).trimEnd()}…` : sentence;
}
