export interface ScriptLanguage {
  /** ISO 639-1. */
  code: string;
  /** The share of the letters written in the script. */
  share: number;
}

/**
 * Scripts written for one language only, so a few letters settle it. Cyrillic, Arabic, Devanagari
 * or Hebrew are each written for several languages and tell nothing on their own.
 */
const SINGLE_LANGUAGE_SCRIPTS: readonly (readonly [code: string, letters: RegExp])[] = [
  ['ko', /\p{Script=Hangul}/gu],
  ['el', /\p{Script=Greek}/gu],
  ['th', /\p{Script=Thai}/gu],
  ['ka', /\p{Script=Georgian}/gu],
  ['hy', /\p{Script=Armenian}/gu],
];
const HAN = /\p{Script=Han}/gu;
const KANA = /[\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const LETTER = /\p{L}/gu;

/** The language that the script of most letters implies, if it implies one. */
export function languageByScript(text: string): ScriptLanguage | undefined {
  const letters = count(text, LETTER);
  if (letters === 0) return undefined;
  const han = count(text, HAN);
  const kana = count(text, KANA);
  // Japanese writes Han and kana together; Chinese never uses kana.
  if (han + kana > letters / 2) return { code: kana > 0 ? 'ja' : 'zh', share: (han + kana) / letters };
  for (const [code, pattern] of SINGLE_LANGUAGE_SCRIPTS) {
    const share = count(text, pattern) / letters;
    if (share > 0.5) return { code, share };
  }
  return undefined;
}

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}
