/**
 * npm run bench: throughput and latency of POST /api/messages (summarize) against a bare echo
 * route on the same server, on PGlite and on a Postgres server, then start-up time and idle
 * memory of the built server, then free text routed by a chat model (a fake one): overhead,
 * concurrency and memory. Goals are printed with a pass/miss mark, never asserted.
 *
 *   BENCH_SECONDS=10          seconds per measured run (warm-up: BENCH_WARMUP_SECONDS, default a third, 1-3 s)
 *   BENCH_CONNECTIONS=16      concurrency of the main runs (a concurrency-1 run follows each)
 *   BENCH_CONVERSATIONS=64    conversations the load is spread over
 *   BENCH_DATABASE_URL=...    Postgres server to create throwaway databases on (default postgres://root@127.0.0.1:5432/postgres)
 *   BENCH_IDLE_SECONDS=3      wait after ready before reading the idle RSS
 *   --skip-postgres           PGlite only (also BENCH_SKIP_POSTGRES=1; automatic when the server is unreachable)
 *   --only=throughput|startup|routing|images|summarizer|chart  one section only
 *   BENCH_IMAGE_RUNS=40       runs of each image case (--only=images: a 12 MP JPEG to model input against sharp's bare resize)
 *   BENCH_CHART_RUNS=50       runs of each chart case (--only=chart: a 1,000-point line chart from spec to PNG)
 *   BENCH_ROUTING_MESSAGES, BENCH_BURST_ROUNDS, BENCH_STREAMS, ...: the routing section's sizes (bench/routing-settings.ts)
 *   --cpu-prof[=DIR]          CPU-profile the server in one more run of each measured case (not in the figures), into DIR (default $TMPDIR/assistant-bench-profiles)
 */
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchChart } from './chart.js';
import { cleanUp, cleanUpOnSignals } from './cleanup.js';
import { numberEnv } from './env.js';
import { GOALS } from './goals.js';
import { benchImages } from './images.js';
import { benchSummarizer } from './summarizer.js';
import { loadLine } from './load-average.js';
import { machineInfo } from './machine.js';
import { profileSummary } from './profile-summary.js';
import { DEFAULT_ADMIN_URL, probePostgres } from './postgres.js';
import { backendRatios, goalLines, overheadTable, startupTable, throughputTable } from './report.js';
import { benchRouting } from './routing.js';
import { routingSettings } from './routing-settings.js';
import { benchStartups, ensureBuilt } from './startup.js';
import { benchBackend, SUMMARIZE_TEXT, type Backend, type BackendReport, type ThroughputSettings } from './throughput.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const found = args.find((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  return found === undefined ? undefined : (found.split('=')[1] ?? '');
};

async function main(): Promise<void> {
  const seconds = numberEnv('BENCH_SECONDS', 10);
  const cpuProf = flag('cpu-prof');
  const settings: ThroughputSettings = {
    seconds,
    warmupSeconds: numberEnv('BENCH_WARMUP_SECONDS', Math.min(3, Math.max(1, Math.round(seconds / 3)))),
    connections: numberEnv('BENCH_CONNECTIONS', 16),
    conversations: numberEnv('BENCH_CONVERSATIONS', 64),
    cpuProfDir: cpuProf === undefined ? undefined : cpuProf || join(tmpdir(), 'assistant-bench-profiles'),
  };
  const idleSeconds = numberEnv('BENCH_IDLE_SECONDS', 3);
  const only = flag('only');
  if (only !== undefined && !['throughput', 'startup', 'routing', 'images', 'summarizer', 'chart'].includes(only))
    throw new Error(`--only=${only}: use throughput, startup, routing, images, summarizer or chart`);
  const runs = (section: string): boolean => only === undefined || only === section;
  // Only these run the bot against a database; the tool sections run in this process alone.
  const serves = runs('throughput') || runs('startup') || runs('routing');
  const adminUrl = process.env['BENCH_DATABASE_URL'] ?? DEFAULT_ADMIN_URL;
  if (settings.cpuProfDir) await mkdir(settings.cpuProfDir, { recursive: true });

  let postgresUrl: string | undefined;
  let postgresNote = '';
  let postgresVersion: string | undefined;
  if (!serves) {
    // No database in these sections.
  } else if (flag('skip-postgres') !== undefined || process.env['BENCH_SKIP_POSTGRES'] === '1') {
    postgresNote = 'Postgres: SKIPPED (--skip-postgres)';
  } else {
    const probe = await probePostgres(adminUrl);
    if (probe.ok) {
      postgresUrl = adminUrl;
      postgresVersion = probe.version;
      postgresNote = `Postgres: ${new URL(adminUrl).host}, a fresh database per run, dropped afterwards`;
    } else {
      postgresNote = `Postgres: SKIPPED, ${new URL(adminUrl).host} is unreachable (${probe.reason})`;
    }
  }

  if (serves) console.log('Benchmark: POST /api/messages (summarize) against a bare echo floor; start-up and idle memory; model routing');
  for (const line of await machineInfo(postgresVersion)) console.log(line);
  console.log(loadLine('before'));
  if (serves) console.log(postgresNote);
  console.log('');

  if (runs('throughput')) {
    console.log('== Throughput and latency ==');
    console.log(
      `Load: autocannon (in this process) -> server child process (node --import tsx bench/target-server.ts, createApp + /bench/echo), 127.0.0.1, keep-alive.`,
    );
    console.log(
      `Concurrency ${settings.connections} connections, then 1; ${settings.seconds} s per run after a ${settings.warmupSeconds} s warm-up of each route; ` +
        `${settings.conversations} conversations (each connection owns its own); text: ${SUMMARIZE_TEXT.length} chars, 5 sentences. Latency percentiles are exact (per response).`,
    );
    if (settings.cpuProfDir) console.log(`CPU profiles of the server: ${settings.cpuProfDir}`);
    const backends: Backend[] = postgresUrl ? ['pglite', 'postgres'] : ['pglite'];
    const reports: BackendReport[] = [];
    for (const backend of backends) {
      const report = await benchBackend(backend, settings, adminUrl);
      console.log(`  ${backend}: ${report.where}; ${report.check}`);
      reports.push(report);
    }
    console.log('');
    console.log(throughputTable(reports));
    console.log('');
    console.log('Pipeline overhead over the echo floor (same server, same concurrency):');
    console.log(overheadTable(reports));
    const ratios = backendRatios(reports, settings.connections);
    if (ratios) console.log(ratios);
    if (!postgresUrl) console.log(postgresNote);
    console.log('');
    console.log(`Goals (from the issue: >= ${GOALS.minMessagesPerSecond} msg/s, p99 overhead <= ${GOALS.maxP99OverheadMs} ms):`);
    for (const line of goalLines(reports, settings.connections)) console.log(`  ${line}`);
    console.log(
      `  Latency is judged at 1 connection, the per-message cost: a closed-loop run with ${settings.connections} connections keeps ${settings.connections} messages` +
        ` in flight, so its latency is about ${settings.connections} / throughput (queueing) and is shown above for information.`,
    );
    console.log('');
    if (settings.cpuProfDir) {
      for (const { backend, profileFile } of reports) {
        if (!profileFile) continue;
        console.log(
          `Server CPU profile, ${backend}, an extra summarize run at ${settings.connections} connections (self time by package or file): ${profileFile}`,
        );
        for (const line of await profileSummary(profileFile, 15)) console.log(`  ${line}`);
      }
      console.log('');
    }
  }

  if (runs('startup')) {
    console.log('== Start-up (node dist/main.js, PORT=0, LOG_LEVEL=info) ==');
    console.log(`Build: ${await ensureBuilt()}`);
    console.log(
      `Times from spawn; idle RSS read from /proc/<pid>/status ${idleSeconds} s after ready. "main readyMs" is main's own log figure (after Node and imports).`,
    );
    console.log(startupTable(await benchStartups(postgresUrl, idleSeconds)));
    if (!postgresUrl) console.log(postgresNote);
    console.log('');
  }

  if (runs('routing')) {
    console.log('== Free text routed by a chat model (PGlite) ==');
    await benchRouting(routingSettings(settings.cpuProfDir, postgresUrl));
  }

  if (runs('images')) {
    console.log('== Image preparation (in this process) ==');
    await benchImages();
  }

  if (runs('summarizer')) {
    console.log('== The local extractive summarizer (in this process) ==');
    benchSummarizer();
  }

  if (runs('chart')) {
    console.log('== Charts: spec to PNG (in this process, SVG in the render worker) ==');
    await benchChart();
  }
}

cleanUpOnSignals();
try {
  await main();
} catch (error) {
  console.error(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
