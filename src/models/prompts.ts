import type { ChatMessage, Passage } from '../core/models.js';

/** What a chat model is asked when it serves a task other than chat. */

const languages = new Intl.DisplayNames(['en'], { type: 'language' });
/** "French (fr)": models know names better than codes; the code settles variants like pt-BR. */
const language = (code: string) => `${languages.of(code) ?? code} (${code})`;

export function translateMessages(input: { text: string; target: string; source?: string }): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        `Translate the user's text ${input.source ? `from ${language(input.source)} ` : ''}into ${language(input.target)}. Reply with the translation only. ` +
        'Keep code blocks, inline code, URLs, @mentions, emoji, Markdown formatting and placeholders like ⟦0⟧ exactly as they are.',
    },
    { role: 'user', content: input.text },
  ];
}

/** What one summary call sends a chat model: fits a small model's context (about 6,000 tokens) with room for the answer. */
export const CHAT_SUMMARY_CHARS = 24_000;

export function summarizeMessages(passages: readonly Passage[], points: number): ChatMessage[] {
  const conversation = passages.some((passage) => passage.speaker);
  // The reduce step of a long input: the parts' bullet points, names and all.
  const combining = !conversation && passages.length > 1 && passages.every((passage) => passage.text.startsWith('- '));
  const what = combining ? 'summaries of consecutive parts of one text or conversation' : conversation ? 'conversation' : 'text';
  return [
    {
      role: 'system',
      content:
        `Summarize the ${what} the user sends in at most ${points} short bullet points, each a line starting with "- ". ` +
        `${conversation || combining ? 'Name who said what, as "- **Name**: …". ' : ''}Write in the language of the text. Reply with the bullet points only.`,
    },
    { role: 'user', content: transcript(passages) },
  ];
}

export function transcript(passages: readonly Passage[]): string {
  return passages.map((passage) => (passage.speaker ? `${passage.speaker}: ${passage.text}` : passage.text)).join('\n');
}

export function captionMessages(image: { bytes: Uint8Array; mime: string }, prompt?: string): ChatMessage[] {
  return [
    {
      role: 'user',
      content: [
        { type: 'text', text: prompt ?? 'Describe this image in one or two sentences, for someone who cannot see it.' },
        { type: 'image', mime: image.mime, bytes: image.bytes },
      ],
    },
  ];
}
