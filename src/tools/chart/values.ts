/**
 * Reading the cells people type: numbers with thousands separators, currency, units, percentages
 * and accounting negatives; dates in the common written forms. Everything else is text.
 */

export interface ReadNumber {
  value: number;
  /** '%', a currency sign or a unit word ("kg"), '' when bare. */
  unit: string;
}

export type DatePrecision = 'year' | 'quarter' | 'month' | 'day' | 'time';

export interface ReadDate {
  /** ISO 8601 in UTC, as Vega-Lite parses it the same on every server. */
  iso: string;
  precision: DatePrecision;
}

const CURRENCY = '[$€£¥₹₩]';
const MAGNITUDES: Record<string, number> = { k: 1e3, K: 1e3, M: 1e6, mn: 1e6, B: 1e9, bn: 1e9, 万: 1e4, 亿: 1e8 };
const MAGNITUDE = 'bn|mn|[kKMB万亿]';
// Known units only, so that "5 as a pie" is not read as five of the unit "as".
const UNIT = [
  '%|‰|°[CF]?',
  'km|cm|mm|m|mi|ft|kg|mg|g|lbs?|oz|ml|l|L',
  'kWh|kW|MW|GW|W|Hz|MB|GB|TB|KB',
  'hrs?|h|mins?|ms|secs?|s|days?|wks?|weeks?|yrs?|years?',
  'USD|EUR|GBP|JPY|CNY|RMB|pts?',
  '[元个人次件]',
].join('|');
const BODY = [
  "\\d{1,3}(?:[,'\\u00a0\\u202f\\u2009 ]\\d{3})+(?:\\.\\d+)?", // 1,234,567.89  1 234 567
  '\\d{1,3}(?:\\.\\d{3})+,\\d+', // 1.234.567,89
  '\\d+(?:[.,]\\d+)?(?:e[-+]?\\d+)?', // 1234.5  12,5  1e6
  '\\.\\d+',
].join('|');

/** A number as written inside text: sign, currency, digits, magnitude, unit. */
export const NUMBER_SOURCE = `\\(?[-+−]?\\s?(?:${CURRENCY}\\s?)?[-+−]?(?:${BODY})(?:\\s?(?:${MAGNITUDE})(?![a-zA-Z]))?(?:\\s?(?:${UNIT})(?![a-zA-Z]))?\\)?`;

const PARTS = new RegExp(
  `^(?<open>\\()?(?<sign>[-+−])?\\s?(?<currency>${CURRENCY})?\\s?(?<sign2>[-+−])?(?<body>${BODY})` +
    `(?:\\s?(?<magnitude>${MAGNITUDE})(?![a-zA-Z]))?(?:\\s?(?<unit>${UNIT}))?(?<close>\\))?$`,
);

/** Values that mean "no value" in a table. */
const MISSING = /^(?:|-|–|—|n\/?a|null|none|nan|\?)$/i;

export function isMissing(raw: string): boolean {
  return MISSING.test(raw.trim());
}

export function readNumber(raw: string): ReadNumber | undefined {
  const groups = PARTS.exec(raw.trim())?.groups;
  if (!groups?.['body']) return undefined;
  const { open, close, sign, sign2, currency, magnitude, unit } = groups;
  if (Boolean(open) !== Boolean(close)) return undefined;
  const value = bodyValue(groups['body']) * (magnitude ? (MAGNITUDES[magnitude] ?? 1) : 1);
  const negative = Boolean(open) || [sign, sign2].some((s) => s === '-' || s === '−');
  if (!Number.isFinite(value)) return undefined;
  return { value: negative ? -value : value, unit: currency ?? unit ?? '' };
}

function bodyValue(body: string): number {
  if (/^\d{1,3}(?:\.\d{3})+,\d+$/.test(body)) return Number(body.replaceAll('.', '').replace(',', '.'));
  if (/^\d{1,3}(?:[,'\u00a0\u202f\u2009 ]\d{3})+(?:\.\d+)?$/.test(body)) return Number(body.replace(/[,'\u00a0\u202f\u2009 ]/g, ''));
  return Number(body.replace(',', '.'));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';

const monthNumber = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

interface DateForm {
  pattern: RegExp;
  read: (m: RegExpExecArray) => { y: number; mo?: number; d?: number; h?: number; mi?: number; s?: number; zone?: string; quarter?: number };
}

/** Day-month order of "01/02/2024": `mdy` (US) unless a column shows a day over 12. */
export type SlashOrder = 'mdy' | 'dmy';

function forms(order: SlashOrder): DateForm[] {
  const int = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  return [
    {
      pattern: /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i,
      read: (m) => ({ y: Number(m[1]), mo: int(m[2]), d: int(m[3]), h: int(m[4]), mi: int(m[5]), s: int(m[6]), zone: m[7] }),
    },
    { pattern: /^(\d{4})[-/.](\d{1,2})$/, read: (m) => ({ y: Number(m[1]), mo: int(m[2]) }) },
    { pattern: /^(\d{4})\s*年\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?$/, read: (m) => ({ y: Number(m[1]), mo: int(m[2]), d: int(m[3]) }) },
    { pattern: /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/, read: (m) => dayMonth(Number(m[3]), Number(m[1]), Number(m[2]), order) },
    { pattern: new RegExp(`^${MONTH}[\\s,-]*(\\d{4})$`, 'i'), read: (m) => ({ y: Number(m[2]), mo: monthNumber(m[1] ?? '') }) },
    { pattern: new RegExp(`^(\\d{4})[\\s,-]*${MONTH}$`, 'i'), read: (m) => ({ y: Number(m[1]), mo: monthNumber(m[2] ?? '') }) },
    {
      pattern: new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?[\\s-]+${MONTH}[\\s,-]+(\\d{4})$`, 'i'),
      read: (m) => ({ y: Number(m[3]), mo: monthNumber(m[2] ?? ''), d: int(m[1]) }),
    },
    {
      pattern: new RegExp(`^${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})$`, 'i'),
      read: (m) => ({ y: Number(m[3]), mo: monthNumber(m[1] ?? ''), d: int(m[2]) }),
    },
    { pattern: /^q([1-4])[\s-]*(\d{4})$/i, read: (m) => ({ y: Number(m[2]), quarter: Number(m[1]) }) },
    { pattern: /^(\d{4})[\s-]*q([1-4])$/i, read: (m) => ({ y: Number(m[1]), quarter: Number(m[2]) }) },
  ];
}

function dayMonth(y: number, first: number, second: number, order: SlashOrder) {
  return order === 'mdy' ? { y, mo: first, d: second } : { y, mo: second, d: first };
}

const FORMS = { mdy: forms('mdy'), dmy: forms('dmy') };

export function readDate(raw: string, order: SlashOrder = 'mdy'): ReadDate | undefined {
  const text = raw.trim();
  for (const form of FORMS[order]) {
    const match = form.pattern.exec(text);
    if (!match) continue;
    const { y, mo, d, h, mi, s, zone, quarter } = form.read(match);
    const month = quarter ? (quarter - 1) * 3 + 1 : (mo ?? 1);
    if (month < 1 || month > 12 || (d !== undefined && (d < 1 || d > daysIn(y, month))) || (h !== undefined && h > 23)) return undefined;
    let ms = Date.UTC(y, month - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
    if (zone && zone.toUpperCase() !== 'Z') ms -= zoneMinutes(zone) * 60_000;
    const precision: DatePrecision = h !== undefined ? 'time' : d !== undefined ? 'day' : quarter ? 'quarter' : 'month';
    return { iso: new Date(ms).toISOString(), precision };
  }
  return undefined;
}

/** A four-digit year, as the first column of a yearly table holds it. */
export function readYear(raw: string | number): ReadDate | undefined {
  const text = String(raw).trim();
  if (!/^[12]\d{3}$/.test(text)) return undefined;
  return { iso: new Date(Date.UTC(Number(text), 0, 1)).toISOString(), precision: 'year' };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function zoneMinutes(zone: string): number {
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}
