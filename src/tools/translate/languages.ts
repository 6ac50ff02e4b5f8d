import { iso6393To1 } from 'iso-639-3/iso6393-to-1.js';

export interface Language {
  /** BCP 47: an ISO 639-1 code, or one with a script or region where that matters (zh-Hant, pt-BR). */
  code: string;
  /** English name, e.g. 'French'. */
  name: string;
}

const VARIANTS = ['zh-Hans', 'zh-Hant', 'pt-BR', 'pt-PT', 'en-GB', 'en-US', 'es-MX', 'fr-CA'];
/** Names people use that the Unicode tables spell otherwise. */
const ALIASES: Record<string, string> = {
  mandarin: 'zh',
  'simplified chinese': 'zh-Hans',
  'traditional chinese': 'zh-Hant',
  farsi: 'fa',
  英文: 'en',
  汉语: 'zh',
  华语: 'zh',
  国语: 'zh',
  普通话: 'zh',
  简体: 'zh-Hans',
  简体中文: 'zh-Hans',
  繁体: 'zh-Hant',
  繁體中文: 'zh-Hant',
  中文繁体: 'zh-Hant',
};

const english = new Intl.DisplayNames(['en'], { type: 'language' });
const chinese = new Intl.DisplayNames(['zh'], { type: 'language' });

const CODES = [...new Set(Object.values(iso6393To1)), ...VARIANTS];
const BY_CODE: ReadonlyMap<string, string> = new Map(CODES.map((code) => [code.toLowerCase(), code]));

/**
 * Every way of naming a language this bot understands, lower-cased: English, Chinese and native
 * names. Built on first use: a DisplayNames per language costs tens of milliseconds at start-up.
 */
let byName: ReadonlyMap<string, string> | undefined;
const namesOfLanguages = (): ReadonlyMap<string, string> => (byName ??= buildNames());

function buildNames(): ReadonlyMap<string, string> {
  const names = new Map<string, string>();
  const add = (name: string | undefined, code: string) => {
    const key = name?.trim().toLowerCase();
    if (key && !names.has(key)) names.set(key, code);
  };
  for (const code of CODES) {
    add(english.of(code), code);
    add(new Intl.DisplayNames([code], { type: 'language' }).of(code), code);
    const zh = chinese.of(code);
    add(zh, code);
    // 法语 and 法文 both name French.
    if (zh?.endsWith('语')) add(`${zh.slice(0, -1)}文`, code);
  }
  for (const [name, code] of Object.entries(ALIASES)) names.set(name, code);
  return names;
}

/**
 * The language a name or code means ("French", "fr", "français", "法语", "pt-br"), or undefined.
 * Codes only when `codes`: in running text "to be" and "to it" are not Belarusian and Italian.
 */
export function findLanguage(name: string, codes = true): Language | undefined {
  const key = name
    .trim()
    .toLowerCase()
    .replace(/_/g, '-')
    .replace(/^the\s+/, '')
    .replace(/\s+language$/, '');
  const code = namesOfLanguages().get(key) ?? (codes ? BY_CODE.get(key) : undefined);
  if (!code) return undefined;
  return { code, name: english.of(code) ?? code };
}

/** A language as a user would name it, for replies. */
export function languageName(code: string): string {
  return english.of(code) ?? code;
}

export interface TargetInText {
  /** What the user named as the target, not yet resolved. */
  named: string;
  /** The text with the naming taken out. */
  rest: string;
  /** The words can only be meant as a language ("to Klingon:"), so an unknown one is an error, not text. */
  explicit: boolean;
}

const LEADING_MARKER = /^(?:(?:in)?to\s+|->\s*|→\s*|=>\s*)/iu;
const WORDS = /^([\p{L}-]+)(?:[ \t]+([\p{L}-]+))?/u;
/** "… -> fr", "… to French" at the very end. */
const TRAILING = /\s(?:(?:in)?to|->|→|=>)\s*([\p{L}-]+(?:[ \t]+[\p{L}-]+)?)\s*[.!?]?$/iu;
/** 翻译成英文 / 翻译为法语: the keyword is gone, 成 / 为 / 到 and the language remain. */
const CHINESE = /^(?:成|为|為|到)\s*([\p{Script=Han}A-Za-z-]{1,12}?)(?=[:：，,。\s]|$)[:：，,。\s]*/u;

/** Where the text names the language to translate into: "to French: …", "-> es …", "… to German", "成英文：…". */
export function targetInText(text: string): TargetInText | undefined {
  const trimmed = text.trim();
  const chinese = CHINESE.exec(trimmed);
  if (chinese?.[1]) return { named: chinese[1], rest: trimmed.slice(chinese[0].length).trim(), explicit: true };
  return leadingTarget(trimmed) ?? trailingTarget(trimmed);
}

function leadingTarget(text: string): TargetInText | undefined {
  const marker = LEADING_MARKER.exec(text);
  if (!marker) return undefined;
  const after = text.slice(marker[0].length);
  const words = WORDS.exec(after);
  if (!words?.[1]) return undefined;
  // "to Simplified Chinese: …" takes both words; "to French Hello there" only the first.
  const both = words[2] !== undefined && findLanguage(`${words[1]} ${words[2]}`) !== undefined;
  const named = both ? `${words[1]} ${words[2] ?? ''}` : words[1];
  const remainder = after.slice(both ? words[0].length : words[1].length);
  const colon = /^\s*[:：]/.exec(remainder);
  const rest = remainder.replace(/^\s*[:：]?\s*/, '').trim();
  const arrow = !/^(?:in)?to\s/i.test(marker[0]);
  return { named, rest, explicit: arrow || colon !== null || rest === '' };
}

function trailingTarget(text: string): TargetInText | undefined {
  const trailing = TRAILING.exec(text);
  if (!trailing?.[1]) return undefined;
  const rest = text.slice(0, trailing.index).trim();
  const last = trailing[1].split(/\s+/).pop() ?? trailing[1];
  const arrow = !/^\s(?:in)?to\s/i.test(trailing[0]);
  for (const named of [trailing[1], last]) if (findLanguage(named, arrow)) return { named, rest, explicit: true };
  return undefined;
}
