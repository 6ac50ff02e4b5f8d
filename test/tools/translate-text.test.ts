import { describe, expect, it } from 'vitest';
import { chunkText } from '../../src/tools/translate/chunks.js';
import { findLanguage, targetInText } from '../../src/tools/translate/languages.js';
import { hasWords, mask, splitCode, unmask } from '../../src/tools/translate/protect.js';

describe('naming the target language', () => {
  it.each([
    ['to French: Good morning', 'French', 'Good morning'],
    ['to French Good morning', 'French', 'Good morning'],
    ['into es', 'es', ''],
    ['-> es hola amigos', 'es', 'hola amigos'],
    ['→ pt-BR Good morning', 'pt-BR', 'Good morning'],
    ['See you tomorrow -> fr', 'fr', 'See you tomorrow'],
    ['Where is the station? to German', 'German', 'Where is the station?'],
    ['to Simplified Chinese: hello', 'Simplified Chinese', 'hello'],
    ['成英文：你好世界', '英文', '你好世界'],
    ['为法语 你好', '法语', '你好'],
  ])('%s', (text, named, rest) => {
    expect(targetInText(text)).toMatchObject({ named, rest });
  });

  it('does not take ordinary words for a target', () => {
    expect(targetInText('tomorrow is fine')).toBeUndefined();
    expect(targetInText('Send it to me')).toBeUndefined();
    // "be" is Belarusian's code, but running text is not a request for it.
    const found = targetInText('To be or not to be');
    expect(found?.explicit).toBe(false);
    expect(findLanguage(found?.named ?? '', found?.explicit)).toBeUndefined();
  });

  it('knows languages by English, native and Chinese names and by code', () => {
    for (const name of ['French', 'fr', 'français', '法语', '法文', 'the French language']) expect(findLanguage(name)?.code).toBe('fr');
    expect(findLanguage('Deutsch')).toEqual({ code: 'de', name: 'German' });
    expect(findLanguage('pt_br')?.code).toBe('pt-BR');
    expect(findLanguage('繁體中文')?.code).toBe('zh-Hant');
    expect(findLanguage('Klingon')).toBeUndefined();
  });
});

describe('keeping code, links, mentions and emoji as they are', () => {
  const text = 'Run `npm ci` then see https://example.com/docs?a=1, thanks @bob <@123456> :tada: 👍🏽 !';

  it('masks each protected part and puts it back in the order the translation uses', () => {
    const masked = mask(text);
    expect(masked.kept).toEqual(['`npm ci`', 'https://example.com/docs?a=1', '@bob', '<@123456>', ':tada:', '👍🏽']);
    expect(masked.text).toBe('Run ⟦0⟧ then see ⟦1⟧, thanks ⟦2⟧ ⟦3⟧ ⟦4⟧ ⟦5⟧ !');
    expect(unmask('Lance ⟦0⟧ puis vois ⟦1⟧, merci ⟦3⟧ ⟦2⟧ ⟦4⟧ ⟦5⟧ !', masked.kept)).toBe(
      'Lance `npm ci` puis vois https://example.com/docs?a=1, merci <@123456> @bob :tada: 👍🏽 !',
    );
  });

  it('refuses a translation that lost or repeated a placeholder', () => {
    const { kept } = mask(text);
    expect(unmask('Lance ⟦0⟧ puis vois ⟦1⟧', kept)).toBeUndefined();
    expect(unmask('⟦0⟧ ⟦0⟧ ⟦1⟧ ⟦2⟧ ⟦3⟧ ⟦4⟧', kept)).toBeUndefined();
  });

  it('keeps fenced code blocks out of the prose', () => {
    const pieces = splitCode('Look:\n```ts\nconst a = 1; // to French\n```\nDone.');
    expect(pieces).toEqual([
      { kind: 'prose', text: 'Look:\n' },
      { kind: 'kept', text: '```ts\nconst a = 1; // to French\n```' },
      { kind: 'prose', text: '\nDone.' },
    ]);
    expect(hasWords('⟦0⟧ , ⟦1⟧')).toBe(false);
  });
});

describe('cutting long text', () => {
  it('cuts between sentences, each piece within the limit, and joins back to the same text', () => {
    const sentence = (n: number) => `This is sentence number ${n}, which says a little more. `;
    const text = Array.from({ length: 80 }, (_, n) => sentence(n)).join('') + '\nA new line.';
    const chunks = chunkText(text, 500);
    expect(chunks.join('')).toBe(text);
    expect(chunks.length).toBeGreaterThan(8);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(500);
      expect(chunk.trimEnd()).toMatch(/[.]$/);
    }
  });

  it('cuts a sentence longer than the limit between words', () => {
    const text = 'word '.repeat(300);
    const chunks = chunkText(text, 100);
    expect(chunks.join('')).toBe(text);
    expect(chunks.every((chunk) => chunk.length <= 100 && chunk.startsWith('word'))).toBe(true);
  });
});
