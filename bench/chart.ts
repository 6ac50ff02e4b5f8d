import { buildSpec } from '../src/tools/chart/build-spec.js';
import { plotData } from '../src/tools/chart/plot-data.js';
import { ChartRenderer, toPng, withChartConfig } from '../src/tools/chart/render.js';
import { sandboxSpec } from '../src/tools/chart/sandbox.js';
import { drawSvg } from '../src/tools/chart/svg.js';
import { LIMITS } from '../src/tools/chart/limits.js';
import { typeTable } from '../src/tools/chart/table.js';
import { numberEnv } from './env.js';
import { spread, type Spread } from './load.js';
import { fixed, mark, table } from './table.js';

/** From the issue: a 1,000-point line chart from spec to PNG. */
const GOAL_P50_MS = 150;
const POINTS = 1_000;
const WARM_UP = 5;

/**
 * A 1,000-point line chart (a daily series, built the way the tool builds it) from spec to PNG
 * through the chart renderer: the SVG in its worker thread, then the PNG with sharp. The steps are
 * timed apart, and the SVG step also in this thread without the worker, to show what the sandbox
 * costs.
 */
export async function benchChart(): Promise<void> {
  const runs = numberEnv('BENCH_CHART_RUNS', 50);
  const spec = sandboxSpec(buildSpec(plotData(dailySeries(), {}), {}));
  const renderer = new ChartRenderer();
  try {
    const sample = await renderer.render(spec);
    console.log(
      `Spec: a line of ${POINTS} daily points (${fixed(JSON.stringify(spec).length / 1024, 0)} KB of JSON); PNG ${sample.width}×${sample.height} ` +
        `(${fixed(sample.png.byteLength / 1024, 0)} KB). ${runs} runs of each case after ${WARM_UP} warm-up runs; render time limit ${LIMITS.renderMs / 1000} s.`,
    );
    for (let i = 0; i < WARM_UP; i++) await renderer.render(spec);
    const drawn = await renderer.svg(spec);
    const inThread = withChartConfig(spec);
    const cases: Array<[string, () => Promise<unknown>]> = [
      ['spec to PNG (renderer.render: worker SVG, then sharp PNG)', () => renderer.render(spec)],
      ['  SVG step (vega-lite compile + vega view + toSVG, in the worker)', () => renderer.svg(spec)],
      ['  PNG step (sharp/librsvg, 2× density, PNG encode)', () => toPng(drawn)],
      ['  SVG step in this thread, without the worker', () => drawSvg(inThread, LIMITS.marks)],
    ];
    const results = [];
    for (const [name, run] of cases) results.push({ name, ...(await timings(run, runs)) });
    console.log('');
    console.log(
      table(
        ['case', 'p50 ms', 'p90 ms', 'p99 ms'],
        results.map((r) => [r.name, fixed(r.p50, 1), fixed(r.p90, 1), fixed(r.p99, 1)]),
        'lrrr',
      ),
    );
    const total = results[0];
    console.log('');
    console.log('Goal (from the issue):');
    if (total) console.log(`  ${mark(total.p50 <= GOAL_P50_MS)} 1,000-point line chart from spec to PNG p50 <= ${GOAL_P50_MS} ms: ${fixed(total.p50, 1)} ms`);
    console.log('');
  } finally {
    await renderer.close();
  }
}

function dailySeries() {
  const start = Date.UTC(2022, 0, 1);
  const rows = Array.from({ length: POINTS }, (_, day) => [
    new Date(start + day * 86_400_000).toISOString().slice(0, 10),
    (1000 + 200 * Math.sin(day / 20) + 3 * day + 50 * Math.sin(day * 1.7)).toFixed(1),
  ]);
  return typeTable({ header: ['day', 'visitors'], rows, source: 'bench' });
}

async function timings(run: () => Promise<unknown>, runs: number): Promise<Spread> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  return spread(samples);
}
