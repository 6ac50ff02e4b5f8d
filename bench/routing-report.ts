import { availableParallelism } from 'node:os';
import { GOALS } from './goals.js';
import type { BurstRound } from './routing-burst.js';
import type { MemoryResult, MemorySample } from './routing-memory.js';
import type { OverheadResult } from './routing-overhead.js';
import { fixed, mark, signed, table } from './table.js';

const MIB = 1_048_576;

export function overheadTable(results: OverheadResult[]): string {
  return table(
    ['router', 'message', 'n', 'server p50 ms', 'server p99 ms', 'model p50 ms', 'model p99 ms', 'overhead p50 ms', 'overhead p99 ms', 'failed'],
    results.map((result) => [
      result.router,
      result.name,
      String(result.messages),
      fixed(result.server.p50, 3),
      fixed(result.server.p99, 3),
      fixed(result.model.p50, 3),
      fixed(result.model.p99, 3),
      fixed(result.overhead.p50, 3),
      fixed(result.overhead.p99, 3),
      String(result.failed),
    ]),
    'llrrrrrrrr',
  );
}

/** Where the overhead goes: PGlite's engine, CPU, and what the model calls carry. */
export function overheadBreakdownTable(results: OverheadResult[]): string {
  return table(
    [
      'router',
      'message',
      'in PGlite p50 ms',
      'in PGlite p99 ms',
      'PGlite queries/msg',
      'server CPU ms/msg',
      'model calls/msg',
      'model request KiB/msg p50',
      'client round trip p50 ms',
    ],
    results.map((result) => [
      result.router,
      result.name,
      fixed(result.database.p50, 3),
      fixed(result.database.p99, 3),
      fixed(result.databaseCallsPerMessage, 1),
      result.serverCpuMsPerMessage === undefined ? '–' : fixed(result.serverCpuMsPerMessage, 2),
      fixed(result.modelCallsPerMessage, 2),
      fixed(result.modelRequestBytes.p50 / 1024, 1),
      fixed(result.client.p50, 2),
    ]),
    'llrrrrrrr',
  );
}

/** What each case ran, and anything that went wrong. */
export function overheadNotes(results: OverheadResult[]): string[] {
  return results.flatMap((result) => [
    `${result.router} / ${result.name}: ${result.runs}`,
    ...(result.strayModelCalls > 0 ? [`  ${result.strayModelCalls} model calls started outside every timed message (not subtracted)`] : []),
    ...(result.firstFailure ? [`  first failure: ${result.firstFailure}`] : []),
  ]);
}

export function overheadGoalLines(results: OverheadResult[]): string[] {
  const lines: string[] = [];
  for (const routed of results.filter((result) => result.router === 'model')) {
    const keywords = results.find((result) => result.router === 'keywords' && result.name === routed.name);
    const versus = keywords
      ? ` (keyword rules, same message: ${fixed(keywords.overhead.p99, 3)} ms; the model route adds ${signed(routed.overhead.p99 - keywords.overhead.p99, 3)} ms at p99, ${signed(routed.overhead.p50 - keywords.overhead.p50, 3)} ms at p50)`
      : '';
    lines.push(
      `${mark(routed.overhead.p99 <= GOALS.maxRoutingP99OverheadMs && routed.failed === 0)} routing overhead p99 <= ${GOALS.maxRoutingP99OverheadMs} ms, ${routed.name}: ${fixed(routed.overhead.p99, 3)} ms${versus}`,
    );
  }
  return lines;
}

export function burstTable(rounds: BurstRound[]): string {
  const ms = (value: number | undefined) => (value === undefined ? '–' : fixed(value, 0));
  return table(
    [
      'store',
      'burst',
      'ok',
      'wall s',
      'slowest s',
      'arrivals spread ms',
      'first model call ms',
      'last model call ms',
      'model calls in flight',
      'after model ms',
      'new conns',
      'in PGlite ms',
      'server CPU ms',
      'Postgres CPU ms',
      'bench CPU ms',
    ],
    rounds.map((round) => [
      round.store,
      round.label,
      String(round.ok),
      fixed(round.wallMs / 1000, 3),
      fixed(round.slowestMs / 1000, 3),
      fixed(round.arrivalSpreadMs, 1),
      fixed(round.firstModelStartMs, 1),
      fixed(round.lastModelStartMs, 1),
      String(round.modelInFlight),
      fixed(round.afterModelMs, 1),
      String(round.connections),
      round.store === 'pglite' ? ms(round.databaseMs) : '–',
      ms(round.serverCpuMs),
      ms(round.databaseCpuMs),
      ms(round.benchCpuMs),
    ]),
    'llrrrrrrrrrrrrr',
  );
}

/** Judged on the slowest warm burst; the cold one (code not yet compiled) is shown for information. */
export function burstGoalLines(rounds: BurstRound[], requests: number): string[] {
  const warm = rounds.slice(1);
  const worst = warm.reduce<BurstRound | undefined>((slowest, round) => (!slowest || round.wallMs > slowest.wallMs ? round : slowest), undefined);
  if (!worst) return [];
  const allOk = warm.every((round) => round.ok === requests);
  const inPglite = worst.store === 'pglite' ? `${fixed(worst.databaseBeforeLastModelMs, 0)} ms of that in PGlite's thread; ` : '';
  const postgresCpu = worst.databaseCpuMs === undefined ? '' : ` and the Postgres backends ${fixed(worst.databaseCpuMs, 0)} ms`;
  return [
    `${mark(worst.wallMs / 1000 <= GOALS.maxBurstSeconds && allOk)} ${worst.store}: ${requests} concurrent requests, model ${GOALS.burstModelDelayMs} ms, all answered <= ${GOALS.maxBurstSeconds} s: ` +
      `${fixed(worst.wallMs / 1000, 3)} s (slowest of ${warm.length} warm bursts; slowest request ${fixed(worst.slowestMs / 1000, 3)} s)`,
    `  where the time went in it: requests reached the server over ${fixed(worst.arrivalSpreadMs, 1)} ms; model calls started ${fixed(worst.firstModelStartMs, 1)}` +
      `–${fixed(worst.lastModelStartMs, 1)} ms after the first arrival (${inPglite}the event loop idle for ${fixed(worst.idleBeforeLastModelMs, 0)} ms of it), ` +
      `up to ${worst.modelInFlight} in flight; the last answer was finished ${fixed(worst.afterModelMs, 1)} ms after the last model call ended; ` +
      `the server process used ${worst.serverCpuMs === undefined ? '?' : fixed(worst.serverCpuMs, 0)} ms of CPU${postgresCpu} for the ${requests} messages, ` +
      `the load generator and fake ${fixed(worst.benchCpuMs, 0)} ms, on ${availableParallelism()} cores in ${fixed(worst.wallMs, 0)} ms`,
  ];
}

export interface FlatThresholds {
  heapMiB: number;
  rssMiB: number;
}

export function memoryTable(samples: MemorySample[]): string {
  return table(
    ['replies', 's', 'heapUsed MiB', 'heapTotal MiB', 'external MiB', 'arrayBuffers MiB', 'RSS MiB'],
    samples.map(({ replies, seconds, memory }) => [
      String(replies),
      fixed(seconds, 1),
      fixed(memory.heapUsed / MIB, 2),
      fixed(memory.heapTotal / MIB, 1),
      fixed(memory.external / MIB, 2),
      fixed(memory.arrayBuffers / MIB, 2),
      fixed(memory.rss / MIB, 1),
    ]),
    'rrrrrrr',
  );
}

/** Growth from the sample two batches in (2,000 replies by default: the first batches warm the code up) to the last, judged against `flat`. */
export function memoryGoalLines(result: MemoryResult, flat: FlatThresholds): string[] {
  const from = result.samples[2] ?? result.samples[1];
  const to = result.samples.at(-1);
  if (!from || !to || to === from) return ['memory: too few samples to judge'];
  const heap = (to.memory.heapUsed - from.memory.heapUsed) / MIB;
  const rss = (to.memory.rss - from.memory.rss) / MIB;
  const later = result.samples.filter((sample) => sample.replies >= from.replies);
  const slope = (pick: (memory: NodeJS.MemoryUsage) => number) => fixed(leastSquaresSlope(later.map((s) => [s.replies, pick(s.memory)])), 0);
  const pass = heap <= flat.heapMiB && rss <= flat.rssMiB && result.failed === 0;
  return [
    `${mark(pass)} memory flat over ${to.replies} streamed replies: from ${from.replies} to ${to.replies} replies heapUsed ${signed(heap, 2)} MiB (<= ${flat.heapMiB}), ` +
      `RSS ${signed(rss, 1)} MiB (<= ${flat.rssMiB}); trend (least squares over those samples) heapUsed ${slope((m) => m.heapUsed)} B/reply, RSS ${slope((m) => m.rss)} B/reply` +
      (result.failed ? `; ${result.failed} streams failed (first: ${result.firstFailure ?? '?'})` : ''),
  ];
}

function leastSquaresSlope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const covariance = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const variance = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return covariance / variance;
}
