const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have he her him his how i if in into is it its ' +
    'just me my no not of on or our out she so than that the their them then there these they this to too up us was we were ' +
    'what when where which who why will with would you your yes ok okay also about all any some more most very get got going ' +
    'der die das und ist nicht ein eine le la les et est un une de des du el los las y en que es por'
  ).split(' '),
);
const HAN_STOP = new Set('的了是在我有和就不人都一这中上为们你他她它吗呢吧啊'.split(''));
const WORD = /[\p{Script=Han}]+|[\p{L}\p{N}][\p{L}\p{N}'-]*/gu;
const HAN = /^\p{Script=Han}/u;
const HAN_CHAR = /\p{Script=Han}/gu;

/**
 * Content terms of a sentence: lowercased words without stopwords, and for Chinese (written
 * without spaces) the character bigrams, which stand in for words well enough for scoring.
 */
export function terms(sentence: string): string[] {
  const out: string[] = [];
  for (const [token] of sentence.matchAll(WORD)) {
    if (HAN.test(token)) {
      const chars = (token.match(HAN_CHAR) ?? []).filter((char) => !HAN_STOP.has(char));
      if (chars.length === 1 && chars[0]) out.push(chars[0]);
      for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
      continue;
    }
    const word = token.toLowerCase();
    if (word.length > 1 && !STOPWORDS.has(word)) out.push(word);
  }
  return out;
}
