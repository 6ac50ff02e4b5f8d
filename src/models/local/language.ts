import { francAll } from 'franc';
import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';
import { proseOnly } from './prose-only.js';
import { languageByScript } from './script-language.js';

export interface DetectedLanguage {
  /** ISO 639-1 code, e.g. 'de'; 'unknown' when the text does not tell, so callers ask a model. */
  code: string;
  /** English name, e.g. 'German'. */
  name: string;
  /** 0 to 1. */
  confidence: number;
}

const UNKNOWN: DetectedLanguage = Object.freeze({ code: 'unknown', name: 'Unknown', confidence: 0 });

/** Below this many characters of prose franc guesses wrong too often ("Danke dir!" comes out Portuguese). */
const MIN_PROSE_CHARS = 40;
/**
 * franc scores the best language 1 and the others by their distance to it. Wrong guesses on chat
 * messages came with runners-up closer than this; right ones were mostly further than
 * CERTAIN_MARGIN.
 */
const MIN_MARGIN = 0.08;
const CERTAIN_MARGIN = 0.2;

const names = new Intl.DisplayNames(['en'], { type: 'language' });
/** Canonicalizing costs about 15 µs a code, and franc returns every language of the script each call. */
const iso6391Cache = new Map<string, string | undefined>();

/** The language of a chat message, judged on its prose: links, mentions, code and emoji are left out. */
export function detectLanguage(text: string): DetectedLanguage {
  const prose = proseOnly(text);
  const byScript = languageByScript(prose);
  if (byScript) return described(byScript.code, byScript.share);
  if (prose.length < MIN_PROSE_CHARS) return UNKNOWN;
  const [best, runnerUp] = candidates(prose);
  if (!best) return UNKNOWN;
  const margin = best.score - (runnerUp?.score ?? 0);
  if (margin < MIN_MARGIN) return UNKNOWN;
  return described(best.code, Math.min(1, margin / CERTAIN_MARGIN));
}

/**
 * franc's guesses that have an ISO 639-1 code, best first, one per code. The languages without one
 * (Scots, Low German, Pidgin…) are seldom what a chat is written in but often close runners-up,
 * or even winners, on English or German.
 */
function candidates(prose: string): { code: string; score: number }[] {
  const seen = new Set<string>();
  const found: { code: string; score: number }[] = [];
  for (const [iso6393, score] of francAll(prose)) {
    const code = iso6391(iso6393);
    if (!code || seen.has(code)) continue;
    seen.add(code);
    found.push({ code, score });
  }
  return found;
}

/**
 * ISO 639-3 to 639-1. franc names the individual language where 639-1 only codes its macrolanguage
 * (cmn for zh, arb for ar, pes for fa), which the ISO table leaves out and CLDR's aliases cover.
 */
function iso6391(iso6393: string): string | undefined {
  if (!iso6391Cache.has(iso6393)) {
    const canonical = Intl.getCanonicalLocales(iso6393)[0];
    iso6391Cache.set(iso6393, iso6393To1[iso6393] ?? (canonical?.length === 2 ? canonical : undefined));
  }
  return iso6391Cache.get(iso6393);
}

function described(code: string, confidence: number): DetectedLanguage {
  return { code, name: names.of(code) ?? code, confidence };
}
