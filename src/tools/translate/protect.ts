/**
 * What a translation must leave exactly as it is: fenced code blocks stay out of the text sent to
 * the model; inline code, URLs, mentions, channel links, custom and Unicode emoji go as numbered
 * placeholders and are put back after.
 */

export type Piece = { kind: 'kept'; text: string } | { kind: 'prose'; text: string };

const FENCE = /(^|\n)(```|~~~)[^\n]*\n[\s\S]*?\n\2[^\n]*(?=\n|$)/g;
const PROTECTED = new RegExp(
  [
    String.raw`\x60[^\x60\n]+\x60`, // inline code
    String.raw`https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"]`, // URL, without the punctuation that ends a sentence
    String.raw`<(?:@[!&]?|#|!)[^>\s]+>`, // Discord and Slack mentions, channels, <!here>
    String.raw`<a?:\w+:\d+>`, // Discord custom emoji
    String.raw`(?<![\w@])@[\w.-]+`, // @name
    String.raw`:[a-z0-9_+-]+:`, // :shortcode: emoji
    String.raw`\p{Extended_Pictographic}(?:\uFE0F|\u200D\p{Extended_Pictographic}|\p{Emoji_Modifier})*`, // emoji
  ].join('|'),
  'gu',
);

/** The text cut into code blocks (kept) and the prose between them (translated). */
export function splitCode(text: string): Piece[] {
  const pieces: Piece[] = [];
  let at = 0;
  for (const match of text.matchAll(FENCE)) {
    const start = match.index + (match[1]?.length ?? 0);
    if (start > at) pieces.push({ kind: 'prose', text: text.slice(at, start) });
    pieces.push({ kind: 'kept', text: text.slice(start, match.index + match[0].length) });
    at = match.index + match[0].length;
  }
  if (at < text.length) pieces.push({ kind: 'prose', text: text.slice(at) });
  return pieces;
}

export interface Masked {
  text: string;
  kept: string[];
}

const marker = (n: number) => `⟦${n}⟧`;

export function mask(text: string): Masked {
  const kept: string[] = [];
  const masked = text.replace(PROTECTED, (found) => {
    kept.push(found);
    return marker(kept.length - 1);
  });
  return { text: masked, kept };
}

/** The translation with what was kept put back, or undefined when the model lost or repeated a placeholder. */
export function unmask(translated: string, kept: readonly string[]): string | undefined {
  const found = [...translated.matchAll(/⟦(\d+)⟧/g)].map((match) => Number(match[1]));
  if (found.length !== kept.length || new Set(found).size !== kept.length || found.some((n) => kept[n] === undefined)) return undefined;
  return translated.replace(/⟦(\d+)⟧/g, (_, digits: string) => kept[Number(digits)] ?? '');
}

/** Prose with nothing to translate: only what is kept, punctuation and spaces. */
export function hasWords(masked: string): boolean {
  return /\p{L}/u.test(masked.replace(/⟦\d+⟧/g, ''));
}
