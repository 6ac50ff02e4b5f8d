import { describe, expect, it } from 'vitest';
import { ALT_MAX_CHARS, altText, imageRequest } from '../../src/images/request.js';

describe('what is asked of an image', () => {
  it.each([
    [{}, '', { mode: 'describe' }],
    [{}, 'tell me about this picture', { mode: 'describe' }],
    [{}, 'describe this', { mode: 'describe' }],
    [{}, 'what brand is this?', { mode: 'question', question: 'what brand is this?' }],
    [{}, 'How many people are there', { mode: 'question', question: 'How many people are there' }],
    [{}, '这是什么牌子', { mode: 'question', question: '这是什么牌子' }],
    [{}, 'Could you write alt text for this?', { mode: 'alt' }],
    [{}, '请写替代文字', { mode: 'alt' }],
    [{ question: 'alt' }, '/describe alt', { mode: 'alt' }],
    [{ mode: 'alt' as const }, '', { mode: 'alt' }],
    [{ question: 'focus on the logo' }, '/describe focus on the logo', { mode: 'question', question: 'focus on the logo' }],
    // A command's own text is its input, never read again as a question.
    [{}, '/describe what is this?', { mode: 'describe' }],
    [{ mode: 'describe' as const }, 'what brand is this?', { mode: 'describe' }],
  ])('%j with %j', (input, text, expected) => {
    expect(imageRequest(input, text)).toEqual(expected);
  });
});

describe('alt text from a caption', () => {
  it('keeps a short caption as it is, without label or quotes', () => {
    expect(altText('Alt text: "A red bicycle leaning on a brick wall."')).toBe('A red bicycle leaning on a brick wall.');
    expect(altText('  A dog\n on a beach. ')).toBe('A dog on a beach.');
  });

  it('takes the first sentence of a long caption when it fits', () => {
    const caption = 'A crowded concert hall seen from the balcony. ' + 'The stage is lit in purple and the audience holds up phones, '.repeat(3);
    expect(altText(caption)).toBe('A crowded concert hall seen from the balcony.');
  });

  it(`cuts a long first sentence at a word, within ${ALT_MAX_CHARS} characters`, () => {
    const caption = 'A wide photograph of ' + 'many small red and yellow flowers '.repeat(8) + 'in a field.';
    const alt = altText(caption);
    expect(alt.length).toBeLessThanOrEqual(ALT_MAX_CHARS);
    expect(alt).toMatch(/^A wide photograph of many small red and yellow flowers .*[a-z]…$/);
    expect(caption.startsWith(alt.slice(0, -1))).toBe(true);
  });
});
