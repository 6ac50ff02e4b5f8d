import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../../src/models/local/language.js';

describe('detectLanguage', () => {
  it.each([
    ['en', 'English', 'The weather was lovely yesterday, so we went for a long walk along the river and had lunch at a small cafe.'],
    ['de', 'German', 'Gestern war das Wetter sehr schön, deshalb sind wir lange am Fluss spazieren gegangen und haben in einem kleinen Café gegessen.'],
    ['fr', 'French', 'Hier, il faisait très beau, alors nous avons fait une longue promenade le long de la rivière et déjeuné dans un petit café.'],
    ['es', 'Spanish', 'Ayer hizo muy buen tiempo, así que dimos un largo paseo por el río y almorzamos en una pequeña cafetería.'],
    ['ru', 'Russian', 'Вчера была прекрасная погода, поэтому мы долго гуляли вдоль реки и пообедали в маленьком кафе.'],
    ['zh', 'Chinese', '昨天天气很好，所以我们沿着河边散步了很长时间，然后在一家小咖啡馆吃了午饭。'],
    ['ja', 'Japanese', '昨日は天気がとても良かったので、川沿いを長い時間散歩して、小さなカフェで昼ご飯を食べました。'],
    // franc names Standard Arabic 'arb', whose 639-1 code is its macrolanguage's.
    ['ar', 'Arabic', 'أمس كان الطقس جميلا جدا، لذلك تمشينا طويلا على طول النهر وتناولنا الغداء في مقهى صغير.'],
  ])('detects %s in a long text', (code, name, text) => {
    const detected = detectLanguage(text);
    expect(detected).toMatchObject({ code, name });
    expect(detected.confidence).toBeGreaterThan(0.3);
  });

  it('leaves short Latin text unknown, where trigrams mislead', () => {
    expect(detectLanguage('Danke dir!')).toEqual({ code: 'unknown', name: 'Unknown', confidence: 0 });
    expect(detectLanguage('ok thanks, see you later')).toMatchObject({ code: 'unknown' });
  });

  it('leaves short Cyrillic text unknown: the script is written for several languages', () => {
    expect(detectLanguage('Привет, как дела?')).toMatchObject({ code: 'unknown' });
  });

  it('tells short text by a script written for one language', () => {
    expect(detectLanguage('你好')).toMatchObject({ code: 'zh', name: 'Chinese', confidence: 1 });
    expect(detectLanguage('ありがとう')).toMatchObject({ code: 'ja' });
    expect(detectLanguage('東京駅はどこですか')).toMatchObject({ code: 'ja' });
    expect(detectLanguage('감사합니다')).toMatchObject({ code: 'ko', name: 'Korean' });
    expect(detectLanguage('Ευχαριστώ πολύ')).toMatchObject({ code: 'el', name: 'Greek' });
  });

  it('judges a message on its prose, not its links, mentions, code or emoji', () => {
    const message = [
      '<@123456789> look https://example.com/docs/getting-started/install?lang=en&version=latest 🎉🎉',
      '```ts\nconst client = new Client({ intents: [GatewayIntentBits.Guilds] });\nawait client.login(token);\n```',
      'Das ist wirklich ein sehr guter Vorschlag, danke dir vielmals!',
    ].join('\n');
    expect(detectLanguage(message)).toMatchObject({ code: 'de' });
  });

  it('does not count the markup towards the length that makes franc trustworthy', () => {
    expect(detectLanguage('Danke dir! https://example.com/a/very/long/link/to/something/else `npm install --save-dev`')).toMatchObject({
      code: 'unknown',
    });
  });

  it('returns unknown for empty text and text without letters', () => {
    expect(detectLanguage('')).toMatchObject({ code: 'unknown' });
    expect(detectLanguage('   ')).toMatchObject({ code: 'unknown' });
    expect(detectLanguage('12345 67890 !!! ??? 12345 67890 !!! ??? 12345')).toMatchObject({ code: 'unknown' });
    expect(detectLanguage('👍👍👍')).toMatchObject({ code: 'unknown' });
  });

  it('says unknown rather than guess between close languages', () => {
    // franc puts Norwegian Nynorsk, Bokmål and Danish within a hair of each other on this Danish text.
    expect(detectLanguage('I går var vejret dejligt, så vi gik en lang tur langs floden og spiste frokost på en lille café med vennerne.')).toMatchObject({
      code: 'unknown',
    });
  });
});
