const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/**
 * Cuts prose into pieces of at most `limit` characters that join back into the same text: at line
 * breaks where it can, else between sentences, else between words, so that each piece translates
 * on its own and no call outgrows the model's context.
 */
export function chunkText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const unit of units(text, limit)) {
    if (current && current.length + unit.length > limit) {
      chunks.push(current);
      current = '';
    }
    current += unit;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Lines (with their line break), lines too long cut into sentences, sentences too long into words. */
function* units(text: string, limit: number): Generator<string> {
  for (const line of text.split(/(?<=\n)/)) {
    if (line.length <= limit) {
      yield line;
      continue;
    }
    for (const { segment } of segmenter.segment(line)) {
      if (segment.length <= limit) yield segment;
      else yield* words(segment, limit);
    }
  }
}

function* words(sentence: string, limit: number): Generator<string> {
  let at = 0;
  while (sentence.length - at > limit) {
    const space = sentence.lastIndexOf(' ', at + limit);
    const cut = space > at ? space + 1 : at + limit;
    yield sentence.slice(at, cut);
    at = cut;
  }
  yield sentence.slice(at);
}
