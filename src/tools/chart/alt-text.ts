import { isObject } from './json-data.js';
import { channelTitle, fieldOf, inlineRows, isSingleView, markType, roles, titleText, type ChannelDef, type Spec } from './spec-shape.js';

const NAMES: Record<string, string> = {
  bar: 'Bar chart',
  line: 'Line chart',
  area: 'Area chart',
  point: 'Scatter plot',
  circle: 'Scatter plot',
  square: 'Scatter plot',
  arc: 'Pie chart',
  tick: 'Strip plot',
  rect: 'Heat map',
  boxplot: 'Box plot',
};
/** Discord takes 1,024 characters of description; screen readers read the start anyway. */
const MAX_ALT = 1000;
const TOP = 3;

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

interface Point {
  label: string;
  value: number;
  series?: string;
}

/**
 * Alt text that says what the chart shows: its kind and title, what is on each axis, how many
 * points, and the numbers a reader would look for (the largest categories, or the range over time).
 * Read from the spec itself, so an edited or model-written chart is described as truly drawn.
 */
export function altText(spec: Spec): string {
  const mark = markType(spec);
  const title = titleText(spec);
  const kind = (mark && NAMES[mark]) ?? (mark ? `Chart of ${mark} marks` : 'Chart');
  const head = `${kind}${title ? ` titled “${title}”` : ''}`;
  if (!isSingleView(spec)) return `${head}, with ${panelCount(spec)} parts.`;
  const { dimension, measure, series } = roles(spec);
  if (!dimension || !measure) return `${head}, ${inlineRows(spec).length} data rows.`;
  const dimensionTitle = channelTitle(dimension.def);
  const measureTitle = channelTitle(measure.def);
  const points = pointsOf(spec, dimension.def, measure.def, series?.def);
  const seriesNames = [...new Set(points.map((p) => p.series).filter((s): s is string => s !== undefined))];
  const log = isObject(measure.def['scale']) && measure.def['scale']['type'] === 'log' ? ' on a log scale' : '';
  const axes =
    mark === 'arc'
      ? `${measureTitle} by ${dimensionTitle}`
      : `${measureTitle}${log} (${measure.channel} axis) by ${dimensionTitle} (${dimension.channel} axis)`;
  const seriesText =
    seriesNames.length > 1 ? `, ${seriesNames.length} series (${seriesNames.slice(0, 5).join(', ')}${seriesNames.length > 5 ? ', …' : ''})` : '';
  const count = `${points.length} ${mark === 'arc' ? 'slices' : mark === 'bar' ? 'bars' : 'points'}`;
  const facts = numbersText(points, dimension.def, mark, seriesNames.length > 1);
  return clip(`${head}: ${axes}${seriesText}; ${count}.${facts ? ` ${facts}` : ''}`);
}

function pointsOf(spec: Spec, dimension: ChannelDef, measure: ChannelDef, series: ChannelDef | undefined): Point[] {
  const dimensionField = fieldOf(dimension);
  const measureField = fieldOf(measure);
  const seriesField = fieldOf(series);
  const aggregate = typeof measure['aggregate'] === 'string' ? measure['aggregate'] : undefined;
  const groups = new Map<string, Point & { values: number[] }>();
  const points: Point[] = [];
  for (const row of inlineRows(spec)) {
    const label = dimensionField ? labelOf(row[dimensionField], dimension) : '';
    const raw = measureField ? row[measureField] : 1;
    const value = typeof raw === 'number' ? raw : aggregate === 'count' ? 1 : undefined;
    if (value === undefined) continue;
    const seriesValue = seriesField ? row[seriesField] : undefined;
    const seriesName = typeof seriesValue === 'string' || typeof seriesValue === 'number' ? String(seriesValue) : undefined;
    const point = { label, value, ...(seriesName !== undefined ? { series: seriesName } : {}) };
    if (!aggregate) {
      points.push(point);
      continue;
    }
    const key = `${label}\u0000${seriesName ?? ''}`;
    const group = groups.get(key) ?? { ...point, values: [] };
    group.values.push(value);
    groups.set(key, group);
  }
  if (!aggregate) return points;
  return [...groups.values()].map(({ values, ...point }) => ({ ...point, value: combine(values, aggregate) }));
}

function combine(values: number[], aggregate: string): number {
  const sum = values.reduce((a, b) => a + b, 0);
  if (aggregate === 'count') return values.length;
  if (aggregate === 'mean' || aggregate === 'average') return sum / values.length;
  if (aggregate === 'min') return Math.min(...values);
  if (aggregate === 'max') return Math.max(...values);
  return sum;
}

function numbersText(points: Point[], dimension: ChannelDef, mark: string | undefined, hasSeries: boolean): string {
  if (points.length === 0) return '';
  const name = (p: Point) => (hasSeries && p.series ? `${p.label} ${p.series}` : p.label);
  if (mark === 'arc') {
    const total = points.reduce((sum, p) => sum + p.value, 0);
    const shares = [...points].sort((a, b) => b.value - a.value).slice(0, 5);
    return total > 0 ? `Largest: ${shares.map((p) => `${name(p)} ${number.format((p.value / total) * 100)}%`).join(', ')}.` : '';
  }
  const sorted = [...points].sort((a, b) => b.value - a.value);
  const high = sorted[0];
  const low = sorted.at(-1);
  if (!high || !low) return '';
  if (dimension['type'] === 'nominal' || (dimension['type'] === 'ordinal' && !dimension['timeUnit'])) {
    const top = sorted.slice(0, TOP).map((p) => `${name(p)} ${number.format(p.value)}`);
    return `Highest: ${top.join(', ')}; lowest: ${name(low)} ${number.format(low.value)}.`;
  }
  const first = points[0];
  const last = points.at(-1);
  const span = first && last && first.label !== last.label ? `From ${first.label} to ${last.label}; values` : 'Values';
  return `${span} range from ${number.format(low.value)} (${name(low)}) to ${number.format(high.value)} (${name(high)}).`;
}

const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const MINUTE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

/** Dates are written at the precision the axis shows them. */
function labelOf(value: unknown, def: ChannelDef): string {
  if (typeof value === 'number') return number.format(value);
  if (typeof value !== 'string') return String(value);
  const timeUnit = typeof def['timeUnit'] === 'string' ? def['timeUnit'] : '';
  if (def['type'] !== 'temporal' && !timeUnit) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  if (/year$/.test(timeUnit)) return String(date.getUTCFullYear());
  if (/quarter$/.test(timeUnit)) return `Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`;
  if (/month$/.test(timeUnit)) return MONTH.format(date);
  if (/(hours|minutes|seconds)$/.test(timeUnit)) return MINUTE.format(date);
  return DAY.format(date);
}

function panelCount(spec: Spec): number {
  for (const key of ['layer', 'concat', 'hconcat', 'vconcat']) {
    const parts = spec[key];
    if (Array.isArray(parts)) return parts.length;
  }
  return 1;
}

function clip(text: string): string {
  return text.length > MAX_ALT ? `${text.slice(0, MAX_ALT - 1)}…` : text;
}
