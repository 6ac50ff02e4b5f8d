/** What the user asks of an image: a description, a question answered from it, or alt text. */
export type ImageRequest = { mode: 'describe' } | { mode: 'alt' } | { mode: 'question'; question: string };

/** The length screen readers and most platforms handle well as alt text. */
export const ALT_MAX_CHARS = 125;

export const ALT_PROMPT =
  `Write alt text for this image: one plain sentence of at most ${ALT_MAX_CHARS} characters saying what it shows. ` +
  'Do not start with "Image of" or "Picture of". Reply with the sentence only.';

const ALT = /^\s*alt\s*$|\balt[- ]?text\b|\balternative text\b|替代文字|替代文本/i;
const QUESTION =
  /[?？]\s*$|^\s*(?:what|what's|whats|which|who|whose|how|where|when|why|is|are|was|were|do|does|did|can|could|would|will|should|has|have)\b|什么|吗|多少|几个|哪|谁|怎么|为什么|是不是|是否/i;

export function isQuestion(text: string): boolean {
  return QUESTION.test(text.trim());
}

/**
 * The request from the tool's input, else from the message itself: a model or the rules may route
 * "what brand is this?" here without passing the question on. A command's own text is its input.
 */
export function imageRequest(input: { question?: string | undefined; mode?: 'describe' | 'alt' | undefined }, messageText: string): ImageRequest {
  const typed = input.question?.trim();
  if (input.mode === 'alt' || (typed && ALT.test(typed))) return { mode: 'alt' };
  if (typed) return { mode: 'question', question: typed };
  const said = messageText.trim();
  if (input.mode === 'describe' || said.startsWith('/')) return { mode: 'describe' };
  if (ALT.test(said)) return { mode: 'alt' };
  return isQuestion(said) ? { mode: 'question', question: said } : { mode: 'describe' };
}

/** A caption as alt text: one line, no label or quotes, at most ALT_MAX_CHARS (its first sentence, else cut at a word). */
export function altText(caption: string): string {
  const text = caption
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^alt(?:ernative)?[- ]?text\s*[:：]\s*/i, '')
    .replace(/^["“'](.*)["”']$/, '$1')
    .trim();
  if (text.length <= ALT_MAX_CHARS) return text;
  const sentence = /^.*?[.!?。！？](?=\s|$)/.exec(text)?.[0];
  if (sentence && sentence.length <= ALT_MAX_CHARS) return sentence;
  const cut = text.slice(0, ALT_MAX_CHARS - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > ALT_MAX_CHARS / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
