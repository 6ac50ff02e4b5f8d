import { describe, expect, it } from 'vitest';
import { summarizeExtractive } from '../../src/models/local/extractive-summarizer.js';
import { splitSentences } from '../../src/models/local/sentences.js';
import { terms } from '../../src/models/local/terms.js';

describe('splitSentences', () => {
  it('does not split after titles, initials and common abbreviations', () => {
    expect(splitSentences('Mr. Smith met Dr. J. Doe at 5 p.m. on Monday. They talked, e.g. about money. Done!')).toEqual([
      'Mr. Smith met Dr. J. Doe at 5 p.m. on Monday.',
      'They talked, e.g. about money.',
      'Done!',
    ]);
    expect(splitSentences('Wir brauchen z. B. Milch. Und Brot.')).toEqual(['Wir brauchen z. B. Milch.', 'Und Brot.']);
  });

  it('splits Chinese on its own punctuation and every line on its own', () => {
    expect(splitSentences('今天开会。明天放假！\n- item one\n- item two')).toEqual(['今天开会。', '明天放假！', '- item one', '- item two']);
  });

  it('gives the same sentences for a long text as for its parts', () => {
    const part = 'The budget grew by four percent. Parks were cut, e.g. in the north. ';
    expect(splitSentences(part.repeat(500))).toEqual(Array.from({ length: 500 }, () => splitSentences(part)).flat());
  });
});

describe('terms', () => {
  it('drops stopwords and splits Chinese into bigrams', () => {
    expect(terms('The budget of the City')).toEqual(['budget', 'city']);
    expect(terms('预算方案')).toEqual(['预算', '算方', '方案']);
  });
});

describe('summarizeExtractive', () => {
  const text = [
    'The council debated the city budget for three hours on Tuesday.',
    'The budget deficit reached four million dollars this year.',
    'A member brought cookies.',
    'Cutting the parks budget would close half of the budget deficit.',
    'The weather was sunny.',
    'The council will vote on the budget and the parks cuts next week.',
  ].join(' ');

  it('keeps the sentences about what the text is about, in their order', () => {
    const picked = summarizeExtractive([{ text }], 3).map((entry) => entry.sentence);
    expect(picked).toHaveLength(3);
    expect(picked.every((sentence) => sentence.includes('budget'))).toBe(true);
    expect(picked.map((sentence) => text.indexOf(sentence))).toEqual([...picked.map((sentence) => text.indexOf(sentence))].sort((a, b) => a - b));
  });

  it('skips a sentence that repeats one already taken', () => {
    const repeated = `${text} The budget deficit reached four million dollars this year!`;
    const picked = summarizeExtractive([{ text: repeated }], 4).map((entry) => entry.sentence);
    expect(picked.filter((sentence) => sentence.startsWith('The budget deficit reached'))).toHaveLength(1);
  });

  it('names the speaker of each point', () => {
    const picked = summarizeExtractive(
      [
        { speaker: 'Ann', text: 'The launch moves to Friday because the launch checklist is not done.' },
        { speaker: 'Bob', text: 'Lunch?' },
        { speaker: 'Cy', text: 'The launch checklist needs the security review before Friday.' },
      ],
      2,
    );
    expect(picked.map((entry) => entry.speaker)).toEqual(['Ann', 'Cy']);
  });

  it('gives at most the points asked for, and all sentences when there are fewer', () => {
    expect(summarizeExtractive([{ text }], 5)).toHaveLength(5);
    expect(summarizeExtractive([{ text }], 50)).toHaveLength(6);
  });
});
