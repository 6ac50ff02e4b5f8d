import type { ChatMessage, Passage } from '../core/models.js';

/** What a chat model is asked when it serves a task other than chat. */

export function translateMessages(input: { text: string; target: string; source?: string }): ChatMessage[] {
  return [
    {
      role: 'system',
      content:
        `Translate the user's text ${input.source ? `from ${input.source} ` : ''}into ${input.target}. Reply with the translation only. ` +
        'Keep code blocks, inline code, URLs, @mentions, emoji and Markdown formatting exactly as they are.',
    },
    { role: 'user', content: input.text },
  ];
}

/** What fits a small model's context with room for the answer (about 6,000 tokens); the newest is kept. */
const SUMMARY_INPUT_CHARS = 24_000;

export function summarizeMessages(passages: readonly Passage[], points: number): ChatMessage[] {
  const conversation = passages.some((passage) => passage.speaker);
  const text = transcript(passages).slice(-SUMMARY_INPUT_CHARS);
  return [
    {
      role: 'system',
      content:
        `Summarize the ${conversation ? 'conversation' : 'text'} the user sends in at most ${points} short bullet points, each a line starting with "- ". ` +
        `${conversation ? 'Name who said what, as "- **Name**: …". ' : ''}Write in the language of the text. Reply with the bullet points only.`,
    },
    { role: 'user', content: text },
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
