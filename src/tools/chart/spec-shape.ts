import { isObject } from './json-data.js';

/** A Vega-Lite spec as JSON: built here, written by a model or sent by a user, so read defensively. */
export type Spec = Record<string, unknown>;
export type ChannelDef = Record<string, unknown>;

export interface Roles {
  /** The channel of the categories, times or x values: x, y (horizontal bars) or color (pie). */
  dimension?: { channel: string; def: ChannelDef };
  /** The channel of the measured numbers: y, x or theta (pie). */
  measure?: { channel: string; def: ChannelDef };
  series?: { channel: string; def: ChannelDef };
}

export function markType(spec: Spec): string | undefined {
  const mark = spec['mark'];
  if (typeof mark === 'string') return mark;
  return isObject(mark) && typeof mark['type'] === 'string' ? mark['type'] : undefined;
}

export function encodingOf(spec: Spec): Record<string, ChannelDef> {
  const encoding = spec['encoding'];
  if (!isObject(encoding)) return {};
  return Object.fromEntries(Object.entries(encoding).filter((entry): entry is [string, ChannelDef] => isObject(entry[1])));
}

/** A spec of one view (a mark and its encoding), the shape the built-in edits understand. */
export function isSingleView(spec: Spec): boolean {
  return markType(spec) !== undefined && isObject(spec['encoding']);
}

/** Which channel carries what, read from the encoding types the way a reader of the chart would. */
export function roles(spec: Spec): Roles {
  const encoding = encodingOf(spec);
  const quantitative = (def: ChannelDef | undefined) => def?.['type'] === 'quantitative' || def?.['aggregate'] !== undefined;
  const { x, y, theta, color } = encoding;
  if (markType(spec) === 'arc') {
    return { ...(theta ? { measure: { channel: 'theta', def: theta } } : {}), ...(color ? { dimension: { channel: 'color', def: color } } : {}) };
  }
  const horizontal = x && y && quantitative(x) && !quantitative(y);
  const [dimension, measure] = horizontal ? (['y', 'x'] as const) : (['x', 'y'] as const);
  const dimensionDef = encoding[dimension];
  const measureDef = encoding[measure];
  return {
    ...(dimensionDef ? { dimension: { channel: dimension, def: dimensionDef } } : {}),
    ...(measureDef ? { measure: { channel: measure, def: measureDef } } : {}),
    ...(color ? { series: { channel: 'color', def: color } } : {}),
  };
}

/** The rows of a spec's inline data, when it has them at the top. */
export function inlineRows(spec: Spec): Array<Record<string, unknown>> {
  const data = spec['data'];
  const values = isObject(data) ? data['values'] : undefined;
  return Array.isArray(values) ? values.filter(isObject) : [];
}

export function titleText(spec: Spec): string | undefined {
  const title = spec['title'];
  if (typeof title === 'string') return title;
  if (Array.isArray(title)) return title.map(String).join(' ');
  return isObject(title) && typeof title['text'] === 'string' ? title['text'] : undefined;
}

export function fieldOf(def: ChannelDef | undefined): string | undefined {
  const field = def?.['field'];
  return typeof field === 'string' ? field : undefined;
}

/** How a channel is named on the chart: its title, else its field (with the aggregate). */
export function channelTitle(def: ChannelDef | undefined): string {
  if (!def) return 'value';
  if (typeof def['title'] === 'string') return def['title'];
  const field = fieldOf(def);
  const aggregate = typeof def['aggregate'] === 'string' ? def['aggregate'] : undefined;
  if (aggregate === 'count' && !field) return 'count';
  return aggregate ? `${aggregate} of ${field ?? 'value'}` : (field ?? 'value');
}

/** A copy of a channel definition without the given properties. */
export function without(def: ChannelDef, ...keys: string[]): ChannelDef {
  return Object.fromEntries(Object.entries(def).filter(([key]) => !keys.includes(key)));
}
