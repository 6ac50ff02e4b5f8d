/** What one chart may hold and cost; past these a request is refused with a reason, never drawn slowly. */
export const LIMITS = {
  /** Rows read from one file; a longer file is refused after counting its lines, before parsing. */
  inputRows: 100_000,
  /** Rows in a spec after aggregation: every mark is drawn, and more than this is no longer readable. */
  rows: 5_000,
  /** Scene items (bars, points, ticks, labels) a rendered chart may have. */
  marks: 20_000,
  /** Panels of a repeat, facet or concat. */
  panels: 24,
  /** Width and height of one view, in CSS pixels. */
  viewSize: 2_000,
  /** Pixels of the PNG. */
  pixels: 16_000_000,
  /** Characters of one expression string in a spec. */
  expressionChars: 1_000,
  /** Characters of a whole spec as JSON. */
  specChars: 2_000_000,
  /** A render (compile, dataflow, SVG) running longer than this is stopped. */
  renderMs: 10_000,
  /** Memory of the render worker; a spec that needs more is refused rather than taking the process down. */
  renderHeapMb: 512,
} as const;

/** PNG pixels per CSS pixel: sharp on chat screens, which are mostly high-density. */
export const PNG_SCALE = 2;

/** Bundled with the package (dejavu-fonts-ttf), so labels look the same on every machine. */
export const CHART_FONT = 'DejaVu Sans';
