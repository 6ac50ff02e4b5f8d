/** Abbreviations after which a period does not end a sentence (Intl.Segmenter splits after them). */
const ABBREVIATIONS =
  /(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|vs|etc|Inc|Ltd|Co|Corp|No|Fig|approx|ca|cf|e\.g|i\.e|z\.\s?B|u\.\s?a|d\.\s?h|bzw|usw|Nr|S)\.|\b[A-Za-z]\.)\s*$/;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });
/** Intl.Segmenter slows down quadratically on long strings, so it is fed pieces of about this size. */
const PIECE_CHARS = 2000;
const SENTENCE_END = /[.!?。！？][\s"'”’)\]]*\s|[。！？]/g;

/** Sentences of a text: line breaks end a sentence too (lists, chat lines); abbreviations do not. */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const line of text.split(/\n+/)) {
    let pending = '';
    for (const piece of pieces(line)) {
      for (const { segment } of segmenter.segment(piece)) {
        pending += segment;
        if (!ABBREVIATIONS.test(pending)) {
          push(sentences, pending);
          pending = '';
        }
      }
    }
    push(sentences, pending);
  }
  return sentences;
}

/** Cuts a long line after sentence-ending punctuation (or, failing that, at a space) near every PIECE_CHARS. */
function* pieces(line: string): Generator<string> {
  let start = 0;
  while (line.length - start > PIECE_CHARS) {
    const window = line.slice(start, start + PIECE_CHARS);
    let cut = 0;
    for (const match of window.matchAll(SENTENCE_END)) cut = match.index + match[0].length;
    if (cut === 0) cut = window.lastIndexOf(' ') + 1 || PIECE_CHARS;
    yield line.slice(start, start + cut);
    start += cut;
  }
  yield line.slice(start);
}

function push(sentences: string[], sentence: string): void {
  const trimmed = sentence.replace(/\s+/g, ' ').trim();
  if (/[\p{L}\p{N}]/u.test(trimmed)) sentences.push(trimmed);
}
