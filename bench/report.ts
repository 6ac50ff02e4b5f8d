import { GOALS } from './goals.js';
import type { StartupRow } from './startup.js';
import { fixed, mark, signed, table } from './table.js';
import type { BackendReport, Measurement, RouteName } from './throughput.js';

export function throughputTable(reports: BackendReport[]): string {
  const rows = reports.flatMap((report) =>
    report.measurements.map(({ route, connections, result, serverCpuMs, databaseCpuMs }) => [
      report.backend,
      route === 'echo' ? 'POST /bench/echo (floor)' : 'POST /api/messages summarize',
      String(connections),
      fixed(result.perSecond, 0),
      fixed(result.p50, 2),
      fixed(result.p99, 2),
      serverCpuMs === undefined ? '–' : fixed(serverCpuMs, 2),
      databaseCpuMs === undefined ? '–' : fixed(databaseCpuMs, 2),
      String(result.ok),
      String(result.failed),
    ]),
  );
  return table(
    ['backend', 'route', 'conns', 'msg/s', 'p50 ms', 'p99 ms', 'server CPU ms/msg', 'Postgres CPU ms/msg', 'answered', 'failed'],
    rows,
    'llrrrrrrrr',
  );
}

export function overheadTable(reports: BackendReport[]): string {
  const rows: string[][] = [];
  for (const report of reports) {
    for (const connections of new Set(report.measurements.map((m) => m.connections))) {
      const echo = find(report.measurements, 'echo', connections);
      const summarize = find(report.measurements, 'summarize', connections);
      if (!echo || !summarize) continue;
      rows.push([
        report.backend,
        String(connections),
        signed(summarize.p50 - echo.p50, 2),
        signed(summarize.p99 - echo.p99, 2),
        `${fixed(summarize.p99 / echo.p99, 1)}×`,
        `${fixed(summarize.perSecond / echo.perSecond, 3)}×`,
      ]);
    }
  }
  return table(['backend', 'conns', 'p50 overhead ms', 'p99 overhead ms', 'p99 summarize/echo', 'msg/s summarize/echo'], rows, 'lrrrrr');
}

/** Postgres server against PGlite, where both ran. */
export function backendRatios(reports: BackendReport[], connections: number): string | undefined {
  const pglite = reports.find((report) => report.backend === 'pglite');
  const postgres = reports.find((report) => report.backend === 'postgres');
  const a = pglite && find(pglite.measurements, 'summarize', connections);
  const b = postgres && find(postgres.measurements, 'summarize', connections);
  if (!a || !b) return undefined;
  return `Postgres/PGlite at ${connections} connections: summarize msg/s ${fixed(b.perSecond / a.perSecond, 2)}×, p50 ${fixed(b.p50 / a.p50, 2)}×, p99 ${fixed(b.p99 / a.p99, 2)}×`;
}

export function goalLines(reports: BackendReport[], connections: number): string[] {
  const lines: string[] = [];
  for (const report of reports) {
    const summarize = find(report.measurements, 'summarize', connections);
    if (summarize) {
      lines.push(
        `${mark(summarize.perSecond >= GOALS.minMessagesPerSecond)} ${report.backend}: summarize throughput >= ${GOALS.minMessagesPerSecond} msg/s (${connections} connections): ${fixed(summarize.perSecond, 0)} msg/s`,
      );
    }
    // Judged one message at a time: with N in flight, latency is N / throughput, whatever the pipeline costs.
    const echo = find(report.measurements, 'echo', 1);
    const run = find(report.measurements, 'summarize', 1);
    if (echo && run) {
      const overhead = run.p99 - echo.p99;
      lines.push(
        `${mark(overhead <= GOALS.maxP99OverheadMs)} ${report.backend}: pipeline p99 overhead <= ${GOALS.maxP99OverheadMs} ms over the echo floor (1 connection): ${signed(overhead, 2)} ms`,
      );
    }
  }
  return lines;
}

export function startupTable(rows: StartupRow[]): string {
  return table(
    ['start', 'ready ms (healthz 200)', '"Web chat:" line ms', 'main readyMs', 'idle RSS MiB', 'peak RSS MiB'],
    rows.map((row) => [
      row.label,
      fixed(row.readyMs, 0),
      fixed(row.lineMs, 0),
      row.inProcessMs === undefined ? '–' : String(row.inProcessMs),
      fixed(row.rssMiB, 1),
      fixed(row.peakRssMiB, 1),
    ]),
    'lrrrrr',
  );
}

function find(measurements: Measurement[], route: RouteName, connections: number): Measurement['result'] | undefined {
  return measurements.find((m) => m.route === route && m.connections === connections)?.result;
}
