import { UserError } from '../../core/errors.js';
import { isObject } from './json-data.js';
import type { ChartOptions, ChartType } from './options.js';
import { encodingOf, fieldOf, inlineRows, isSingleView, markType, roles, without, type ChannelDef, type Roles, type Spec } from './spec-shape.js';

/** Lines this short get a dot on each value, so single values can be read off. */
export const DOTTED_LINE_POINTS = 60;

/** The changes the built-in rules make to any chart of one view: type, scale, sort, title. */
export type Edit = Pick<ChartOptions, 'type' | 'title' | 'sort' | 'scale'>;

export function hasEdit(edit: Edit): boolean {
  return edit.type !== undefined || edit.title !== undefined || edit.sort !== undefined || edit.scale !== undefined;
}

/** A changed copy of the spec; a change that makes no sense for it is refused with the reason. */
export function applyOptions(spec: Spec, edit: Edit): Spec {
  let next = structuredClone(spec);
  if (edit.type) next = changeType(next, edit.type);
  if (edit.scale) next = setScale(next, edit.scale);
  if (edit.sort) next = setSort(next, edit.sort);
  if (edit.title !== undefined) next['title'] = isObject(next['title']) ? { ...next['title'], text: edit.title } : edit.title;
  return next;
}

function viewRoles(spec: Spec, change: string): Required<Pick<Roles, 'dimension' | 'measure'>> & Roles {
  const found = isSingleView(spec) ? roles(spec) : {};
  if (!found.dimension || !found.measure) {
    throw new UserError(
      'invalid_input',
      `I can't ${change} of this chart myself: it isn't a single chart with an x axis and values (it has layers, panels or no data fields).`,
    );
  }
  return { ...found, dimension: found.dimension, measure: found.measure };
}

/** A sort by value ("-y", or by a field's sum) names the channels of the old type; it is made again for the new one. */
function sortByValue(def: ChannelDef): 'ascending' | 'descending' | undefined {
  const sort = def['sort'];
  if (typeof sort === 'string' && /^-?(?:x|y|theta|color)$/.test(sort)) return sort.startsWith('-') ? 'descending' : 'ascending';
  if (isObject(sort) && 'op' in sort) return sort['order'] === 'descending' ? 'descending' : 'ascending';
  return undefined;
}

function changeType(spec: Spec, type: ChartType): Spec {
  const changed = changeMark(spec, type);
  const order = sortByValue(viewRoles(spec, 'change the type').dimension.def);
  return order ? setSort(changed, order) : changed;
}

function changeMark(spec: Spec, type: ChartType): Spec {
  const { dimension, measure, series } = viewRoles(spec, 'change the type');
  const measureDef = without(measure.def, 'scale', 'axis', 'sort', 'stack');
  const kept = without(dimension.def, 'scale', 'axis', 'legend');
  const dimensionDef = sortByValue(kept) ? { ...kept, sort: null } : kept;
  if (type === 'pie') {
    const field = fieldOf(measureDef);
    if (field) requirePositive(spec, field, 'A pie', (value) => value >= 0, 'negative values');
    const theta = { ...measureDef, type: 'quantitative', stack: true, ...(series && !measureDef['aggregate'] ? { aggregate: 'sum' } : {}) };
    const color = { ...dimensionDef, type: dimensionDef['type'] === 'temporal' || dimensionDef['type'] === 'quantitative' ? 'ordinal' : dimensionDef['type'] };
    return { ...spec, mark: { type: 'arc' }, encoding: { theta, color } };
  }
  const encoding: Record<string, ChannelDef> = { ...encodingOf(spec) };
  delete encoding['theta'];
  delete encoding['xOffset'];
  delete encoding['yOffset'];
  const position = markType(spec) === 'arc' ? { x: { ...dimensionDef, sort: dimensionDef['sort'] ?? null }, y: measureDef } : undefined;
  if (position) {
    delete encoding['color'];
    Object.assign(encoding, position);
  }
  const dimensionChannel = position ? 'x' : dimension.channel;
  const axis = encoding[dimensionChannel] ?? {};
  const timed = axis['timeUnit'] !== undefined;
  if (type === 'bar' && axis['type'] === 'temporal' && timed) encoding[dimensionChannel] = { ...axis, type: 'ordinal' };
  if (type !== 'bar' && axis['type'] === 'ordinal' && timed) encoding[dimensionChannel] = { ...axis, type: 'temporal' };
  if (type === 'bar' && series && !position) encoding[dimensionChannel === 'x' ? 'xOffset' : 'yOffset'] = { field: fieldOf(series.def), sort: null };
  const rows = inlineRows(spec).length;
  const mark = type === 'line' && rows <= DOTTED_LINE_POINTS ? { type: 'line', point: true } : type;
  return { ...spec, mark, encoding };
}

function setScale(spec: Spec, scale: 'linear' | 'log'): Spec {
  if (markType(spec) === 'arc') throw new UserError('invalid_input', 'A pie chart has no value axis to put on a log scale; make it a bar or line chart first.');
  const { measure } = viewRoles(spec, 'change the scale');
  const field = fieldOf(measure.def);
  if (scale === 'log' && field) requirePositive(spec, field, 'A log scale', (value) => value > 0, 'values of zero or below');
  const rest = without(isObject(measure.def['scale']) ? measure.def['scale'] : {}, 'type', 'zero');
  const def = { ...measure.def, scale: scale === 'log' ? { ...rest, type: 'log' } : rest };
  return { ...spec, encoding: { ...encodingOf(spec), [measure.channel]: def } };
}

function setSort(spec: Spec, order: 'ascending' | 'descending'): Spec {
  const { dimension, measure } = viewRoles(spec, 'sort the values');
  const kind = dimension.def['type'];
  if (kind === 'temporal' || kind === 'quantitative' || (kind === 'ordinal' && dimension.def['timeUnit'])) {
    throw new UserError(
      'invalid_input',
      `The ${dimension.channel} axis of this chart is ${kind === 'quantitative' ? 'numbers' : 'time'}, which keeps its own order; sorting works on categories.`,
    );
  }
  const field = fieldOf(measure.def);
  const sort =
    dimension.channel === 'color' || !field
      ? { field: field ?? 'count', op: typeof measure.def['aggregate'] === 'string' ? measure.def['aggregate'] : 'sum', order }
      : `${order === 'descending' ? '-' : ''}${measure.channel}`;
  return { ...spec, encoding: { ...encodingOf(spec), [dimension.channel]: { ...dimension.def, sort } } };
}

function requirePositive(spec: Spec, field: string, what: string, ok: (value: number) => boolean, problem: string): void {
  const bad = inlineRows(spec).find((row) => typeof row[field] === 'number' && !ok(row[field]));
  if (bad) throw new UserError('invalid_input', `${what} can't show ${problem}, and “${field}” has ${String(bad[field])}.`);
}
