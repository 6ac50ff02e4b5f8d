import { UserError } from '../../core/errors.js';
import { isObject } from './json-data.js';
import { LIMITS } from './limits.js';
import type { Spec } from './spec-shape.js';

const MARKS = new Set([
  'arc',
  'area',
  'bar',
  'boxplot',
  'circle',
  'errorband',
  'errorbar',
  'geoshape',
  'line',
  'point',
  'rect',
  'rule',
  'square',
  'text',
  'tick',
  'trail',
]);
/** Keys whose strings are Vega expressions. */
const EXPRESSION_KEYS = new Set(['calculate', 'filter', 'expr', 'test', 'labelExpr', 'signal', 'update']);
/**
 * Vega expressions have no loops and no member access to globals, but these names are how an
 * expression would reach past its sandbox (a constructor, the process) or build a huge array.
 */
const FORBIDDEN_IDENTIFIER = /\b(?:constructor|__proto__|prototype|Function|eval|import|require|process|globalThis|window|self|this|sequence)\b/;
const COMPOSITIONS = ['layer', 'concat', 'hconcat', 'vconcat'];
const BOUNDED_NUMBERS: Record<string, number> = { maxbins: 1_000, steps: 1_000, bandwidth: 1e9 };
const MAX_DEPTH = 64;

interface Walk {
  rows: number;
  hasData: boolean;
}

/**
 * Checks a Vega-Lite spec from anyone (a user's JSON, a model's answer, a stored chart) before it
 * reaches the renderer, and returns a copy that is safe to draw: no data loaded from a URL or file,
 * no image marks, no links, expressions short and free of escape routes, and caps on rows, panels
 * and view sizes. Rendering runs under a time and memory limit as well; these checks give the
 * clear reasons.
 */
export function sandboxSpec(input: unknown): Spec {
  if (!isObject(input)) throw refuse('A chart spec must be a JSON object.');
  const json = JSON.stringify(input);
  if (json.length > LIMITS.specChars)
    throw refuse(`That chart spec is ${json.length.toLocaleString('en-US')} characters long; I take up to ${LIMITS.specChars.toLocaleString('en-US')}.`);
  const spec = JSON.parse(json) as Spec;
  const walk: Walk = { rows: 0, hasData: false };
  visit(spec, walk, 0, '');
  if (!walk.hasData) throw refuse('That chart spec has no data of its own: put the rows in data.values.');
  if (walk.rows > LIMITS.rows) {
    throw new UserError(
      'too_much_data',
      `That chart spec has ${walk.rows.toLocaleString('en-US')} rows of data; I draw up to ${LIMITS.rows.toLocaleString('en-US')}.`,
    );
  }
  return spec;
}

function visit(node: unknown, walk: Walk, depth: number, key: string): void {
  if (depth > MAX_DEPTH) throw refuse('That chart spec is nested too deeply.');
  if (Array.isArray(node)) {
    for (const item of node) visit(item, walk, depth + 1, key);
    return;
  }
  if (typeof node === 'string') {
    if (EXPRESSION_KEYS.has(key)) checkExpression(node);
    return;
  }
  if (!isObject(node)) return;
  for (const [name, value] of Object.entries(node)) {
    if (name === 'url')
      throw refuse('That chart spec loads data from a URL. I only draw data that comes with the message: put the rows in data.values, or attach the file.');
    // A link means nothing in a PNG, and a renderer that follows one could reach out.
    if (name === 'href') {
      Reflect.deleteProperty(node, name);
      continue;
    }
    if (name === 'mark' && key !== 'config') checkMark(value);
    if ((name === 'values' && key === 'data') || key === 'datasets') {
      walk.hasData = true;
      walk.rows += countRows(value);
      continue;
    }
    if (name === 'sequence' && key === 'data' && isObject(value)) {
      walk.hasData = true;
      walk.rows += sequenceLength(value);
      continue;
    }
    if (name === 'keyvals' && isObject(value)) walk.rows += sequenceLength(value);
    if ((name === 'width' || name === 'height') && typeof value === 'number' && (value > LIMITS.viewSize || value < 0)) {
      throw refuse(`A chart ${name} of ${value} is too large; I draw views up to ${LIMITS.viewSize} pixels.`);
    }
    const bound = BOUNDED_NUMBERS[name];
    if (bound !== undefined && typeof value === 'number' && value > bound) throw refuse(`“${name}: ${value}” is more than I compute (at most ${bound}).`);
    if (COMPOSITIONS.includes(name) && Array.isArray(value) && value.length > LIMITS.panels) throw panels(value.length);
    if (name === 'repeat') checkRepeat(value);
    if (EXPRESSION_KEYS.has(name) && isObject(value)) visitExpressions(value, depth);
    visit(value, walk, depth + 1, name);
  }
}

function checkMark(mark: unknown): void {
  const type = typeof mark === 'string' ? mark : isObject(mark) ? mark['type'] : undefined;
  if (type === 'image') throw refuse('Image marks load pictures from URLs, which I never do; use another mark.');
  if (typeof type !== 'string' || !MARKS.has(type)) throw refuse(`“${String(type)}” isn't a Vega-Lite mark. Marks are: ${[...MARKS].join(', ')}.`);
}

/** Predicates nest ({"and": ["datum.a > 1", ...]}): every string inside is an expression. */
function visitExpressions(node: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw refuse('That chart spec is nested too deeply.');
  if (typeof node === 'string') checkExpression(node);
  else if (Array.isArray(node)) for (const item of node) visitExpressions(item, depth + 1);
  else if (isObject(node)) for (const [name, value] of Object.entries(node)) if (name !== 'field' && name !== 'timeUnit') visitExpressions(value, depth + 1);
}

function checkExpression(expression: string): void {
  if (expression.length > LIMITS.expressionChars)
    throw refuse(`An expression in that chart spec is ${expression.length} characters long; I take up to ${LIMITS.expressionChars}.`);
  const forbidden = FORBIDDEN_IDENTIFIER.exec(expression);
  if (forbidden) throw refuse(`The expression “${clip(expression)}” uses “${forbidden[0]}”, which charts here may not use.`);
}

function countRows(values: unknown): number {
  if (Array.isArray(values)) return values.length;
  if (typeof values === 'string') return values.split('\n').length;
  if (isObject(values)) return 1;
  return 0;
}

function sequenceLength(sequence: Record<string, unknown>): number {
  const { start, stop, step } = sequence;
  if (typeof start !== 'number' || typeof stop !== 'number') return 0;
  const by = typeof step === 'number' && step !== 0 ? Math.abs(step) : 1;
  const length = Math.ceil(Math.abs(stop - start) / by);
  return Number.isFinite(length) ? length : Number.MAX_SAFE_INTEGER;
}

function checkRepeat(repeat: unknown): void {
  const lengths = Array.isArray(repeat) ? [repeat.length] : isObject(repeat) ? Object.values(repeat).map((v) => (Array.isArray(v) ? v.length : 1)) : [1];
  const count = lengths.reduce((a, b) => a * Math.max(b, 1), 1);
  if (count > LIMITS.panels) throw panels(count);
}

function panels(count: number): UserError {
  return refuse(`That chart spec asks for ${count} panels or layers; I draw up to ${LIMITS.panels}.`);
}

function refuse(text: string): UserError {
  return new UserError('invalid_input', text, { detail: { sandbox: true } });
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
