import type { ChartOptions } from './options.js';
import { fieldName, type PlotData } from './plot-data.js';
import { applyOptions, DOTTED_LINE_POINTS } from './edit-spec.js';
import type { ChannelDef, Spec } from './spec-shape.js';
import type { Column } from './table.js';
import type { DatePrecision } from './values.js';

const VIEW = { width: 600, height: 360 };

/** Bars of a time axis are drawn per period, labelled like the data was written. */
const TIME_UNITS: Record<DatePrecision, string> = {
  year: 'utcyear',
  quarter: 'utcyearquarter',
  month: 'utcyearmonth',
  day: 'utcyearmonthdate',
  time: 'utcyearmonthdatehoursminutes',
};

/** Up to this many categories, their labels fit side by side unrotated. */
const LEVEL_LABELS = 12;

/** The Vega-Lite spec of a chart of plot data; sort, scale and title go through the same edits as later changes. */
export function buildSpec(plot: PlotData, options: ChartOptions): Spec {
  const encoding = plot.type === 'pie' ? pieEncoding(plot) : xyEncoding(plot);
  const mark = plot.type === 'pie' ? 'arc' : plot.type === 'line' && plot.rows.length <= DOTTED_LINE_POINTS ? { type: 'line', point: true } : plot.type;
  const spec: Spec = { ...VIEW, data: { values: plot.rows }, mark, encoding };
  return applyOptions(spec, {
    ...(options.title ? { title: options.title } : {}),
    ...(options.sort ? { sort: options.sort } : {}),
    ...(options.scale ? { scale: options.scale } : {}),
  });
}

function xyEncoding(plot: PlotData): Record<string, ChannelDef> {
  const encoding: Record<string, ChannelDef> = {
    x: dimension(plot.x, plot.type, new Set(plot.rows.map((row) => row[fieldName(plot.x.name)])).size),
    y: { field: plot.measure.field, type: 'quantitative', title: plot.measure.title },
  };
  if (plot.series) {
    encoding['color'] = { field: plot.series, type: 'nominal', title: null, sort: null };
    if (plot.type === 'bar') encoding['xOffset'] = { field: plot.series, sort: null };
  }
  return encoding;
}

function dimension(column: Column, type: PlotData['type'], categories: number): ChannelDef {
  const base = { field: fieldName(column.name), title: column.name };
  if (column.type === 'temporal') {
    const unit = TIME_UNITS[column.precision ?? 'day'];
    return type === 'bar' ? { ...base, type: 'ordinal', timeUnit: unit } : { ...base, type: 'temporal', timeUnit: unit };
  }
  if (column.type === 'quantitative' && type !== 'bar') return { ...base, type: 'quantitative', scale: { zero: false } };
  return { ...base, type: column.type === 'quantitative' ? 'ordinal' : 'nominal', sort: null, axis: { labelAngle: categories <= LEVEL_LABELS ? 0 : -45 } };
}

function pieEncoding(plot: PlotData): Record<string, ChannelDef> {
  return {
    theta: { field: plot.measure.field, type: 'quantitative', title: plot.measure.title, stack: true },
    color: { field: fieldName(plot.x.name), type: 'nominal', title: plot.x.name, sort: null },
  };
}
