import { startFakeInference, type FakeInference } from '../test/fakes/inference-server.js';
import { onCleanup } from './cleanup.js';
import { profileSummary } from './profile-summary.js';
import { GOALS } from './goals.js';
import { loadLine } from './load-average.js';
import { measureBursts, type BurstReport, type BurstSettings } from './routing-burst.js';
import { measureMemory, type MemorySettings } from './routing-memory.js';
import { measureOverhead, type OverheadResult, type OverheadSettings } from './routing-overhead.js';
import {
  burstGoalLines,
  burstTable,
  memoryGoalLines,
  memoryTable,
  overheadBreakdownTable,
  overheadGoalLines,
  overheadNotes,
  overheadTable,
  type FlatThresholds,
} from './routing-report.js';
import { STREAMED_PIECES } from './routing-messages.js';
import { withPostgresTarget } from './routing-postgres.js';
import { measureRouterStep, stepGoalLine, stepTable } from './routing-step.js';
import { startRoutingTarget, type RouterKind, type RoutingTarget, type TargetOptions } from './routing-target.js';

export interface RoutingSettings {
  overhead: OverheadSettings;
  burst: BurstSettings;
  memory: MemorySettings;
  /** A Postgres server to run the burst on as well, for comparison; none when skipped or unreachable. */
  postgresAdminUrl: string | undefined;
}

/**
 * What "flat" means here. heapUsed after a full GC moves by a few hundred KiB between samples
 * with nothing leaking; one retained object per reply (a closure, a map entry: 250 bytes or more)
 * would add 2 MiB over 8,000 replies. RSS also holds PGlite's WebAssembly memory and pages the
 * allocator keeps, which grow as the database does and never shrink, so it gets more room.
 */
const FLAT: FlatThresholds = { heapMiB: 2, rssMiB: 16 };

/** The three routing figures, printed as they come; each on a fresh server and data directory. */
export async function benchRouting(settings: RoutingSettings): Promise<void> {
  const fake = await startFakeInference();
  const closeFake = onCleanup('close the fake inference server', () => fake.close());
  try {
    console.log(
      'Setup: the fake inference server (test/fakes, zero delay unless said) and the load run in this process; the server is a child process ' +
        '(node --expose-gc --import tsx bench/routing-server.ts: createApp as main wires it, HF_TOKEN set and its fetch pointed at the fake, or no model for keyword rules), ' +
        'PGlite in a fresh temp dir per server, rate limits raised out of the way.',
    );
    console.log(loadLine('at the start of this section'));
    console.log('');
    await overheadSection(fake, settings.overhead);
    await burstSection(fake, settings.burst, settings.postgresAdminUrl);
    await memorySection(fake, settings.memory);
    if (fake.invalid.length > 0) {
      console.log(`The fake refused or flagged ${fake.invalid.length} model requests; first: ${fake.invalid[0]?.errors.join('; ') ?? ''}`);
    }
  } finally {
    await closeFake();
  }
}

async function overheadSection(fake: FakeInference, settings: OverheadSettings): Promise<void> {
  console.log('-- 1. Routing overhead per message, excluding model time --');
  console.log(
    `Method: POST /api/messages (JSON), one message at a time, ${settings.messages} measured after ${settings.warmup} warm-up per case, over ${settings.conversations} conversations ` +
      `(the warm-up fills them, so the model router reads and sends the most history it takes: CHAT_HISTORY_TOKENS 3000, about 12,000 chars). Server time = request listener entered -> response 'finish', taken in the server; model time = the union ` +
      `(overlaps counted once) of the model HTTP calls inside it, each from fetch() until its body is read (a wrapper around the fetch given to createApp). ` +
      `Overhead = server time - model time, per message; then percentiles. Keyword rules: the same messages on a server with no model configured.`,
  );
  const results: OverheadResult[] = [];
  for (const router of ['model', 'keywords'] as const) {
    const options = settings.cpuProfDir ? { profileDir: settings.cpuProfDir } : {};
    results.push(...(await withTarget(router, fake, (target) => measureOverhead(target, router, fake, settings), options)));
  }
  console.log(overheadTable(results));
  console.log(
    'Where the overhead goes (in PGlite: its statements, as long as each ran in the database thread, which openPglite reports; ' +
      'server CPU from /proc, model time included; model request: bytes of the chat request bodies):',
  );
  console.log(overheadBreakdownTable(results));
  for (const line of overheadNotes(results)) console.log(`  ${line}`);
  console.log(`Goal (from the issue: p99 overhead <= ${GOALS.maxRoutingP99OverheadMs} ms, model time excluded):`);
  for (const line of overheadGoalLines(results)) console.log(`  ${line}`);
  for (const { router, name, profileFile } of results) {
    if (!profileFile) continue;
    console.log(`Server CPU profile, ${router} / ${name}, one more run of ${settings.messages} messages (self time by package or file): ${profileFile}`);
    for (const line of await profileSummary(profileFile, 15)) console.log(`  ${line}`);
  }
  console.log('');
  const step = { messages: settings.messages, warmup: settings.warmup, historyMessages: 40 };
  console.log('-- 1b. The router step alone --');
  console.log(
    `Method: in this process, ModelRouter.route() as the pipeline calls it (the message already stored), on PGlite, against the fake model, in a conversation of ${step.historyMessages} messages ` +
      `(the most the router reads); ${step.messages} measured after ${step.warmup} warm-up. Model time (fetch to the last byte read) is taken out; the history read is also timed alone.`,
  );
  const stepResult = await measureRouterStep(fake, step);
  console.log(stepTable(stepResult));
  console.log(`  ${stepGoalLine(stepResult)}`);
  console.log('');
}

async function burstSection(fake: FakeInference, settings: BurstSettings, postgresAdminUrl: string | undefined): Promise<void> {
  console.log(`-- 2. ${settings.requests} concurrent requests against a model taking ${settings.modelDelayMs} ms --`);
  console.log(
    `Method: ${settings.requests} POST /api/messages (JSON) sent at once with node:http (a kept-alive agent with no socket cap; fetch cost the load generator several times the CPU), each starting its own conversation ` +
      `from a user of its own, so neither the per-user rate limit nor the per-conversation queue can hold one back; the fake answers each chat call after ${settings.modelDelayMs} ms. ` +
      `Wall = first send -> last answer read, in the client. One cold burst, then ${settings.rounds} measured. The other columns come from the server's timings (ms after the first request arrived) and /proc (CPU; bench = this process: load generator and fake). ` +
      (postgresAdminUrl
        ? "Then the same on a fresh database on the Postgres server, where the database work runs in its own processes, off the app's event loop."
        : 'Postgres server: not reachable or skipped, so PGlite only.'),
  );
  const reports: BurstReport[] = [
    await withTarget('model', fake, (target) => measureBursts(target, fake, settings, { store: 'pglite' }), { profileDir: settings.cpuProfDir }),
  ];
  if (postgresAdminUrl) {
    reports.push(await withPostgresTarget(postgresAdminUrl, fake, settings.cpuProfDir, (target, store) => measureBursts(target, fake, settings, store)));
  }
  console.log(burstTable(reports.flatMap((report) => report.rounds)));
  console.log(`Goal (from the issue: ${GOALS.burstRequests} concurrent, model ${GOALS.burstModelDelayMs} ms, <= ${GOALS.maxBurstSeconds} s):`);
  for (const { rounds } of reports) for (const line of burstGoalLines(rounds, settings.requests)) console.log(`  ${line}`);
  for (const { rounds, profileFile } of reports) {
    if (!profileFile) continue;
    console.log(`Server CPU profile, ${rounds[0]?.store ?? ''}, one more burst (self time by package or file; idle is the wait for the model): ${profileFile}`);
    for (const line of await profileSummary(profileFile, 15)) console.log(`  ${line}`);
  }
  console.log('');
}

async function memorySection(fake: FakeInference, settings: MemorySettings): Promise<void> {
  console.log(`-- 3. Memory over ${settings.replies} streamed replies --`);
  console.log(
    `Method: POST /api/messages with Accept: text/event-stream, ${settings.concurrency} streams at a time over ${settings.conversations} conversations (each worker its own), ` +
      `the fake streaming ${STREAMED_PIECES.length} chunks per answer; after every ${settings.sampleEvery} replies the server runs gc() twice and reports process.memoryUsage(). ` +
      `Flat: heapUsed grows <= ${FLAT.heapMiB} MiB and RSS <= ${FLAT.rssMiB} MiB from the sample at ${settings.sampleEvery * 2} replies to the last ` +
      `(a leak of one small object per reply would pass ${FLAT.heapMiB} MiB; RSS also holds PGlite's WebAssembly memory, which grows with the data and never shrinks).`,
  );
  const result = await withTarget('model', fake, (target) => measureMemory(target, fake, settings));
  console.log(memoryTable(result.samples));
  console.log(`Goal (from the issue: memory flat over ${GOALS.streamedReplies} streamed replies):`);
  for (const line of memoryGoalLines(result, FLAT)) console.log(`  ${line}`);
  console.log('');
}

async function withTarget<T>(router: RouterKind, fake: FakeInference, work: (target: RoutingTarget) => Promise<T>, options: TargetOptions = {}): Promise<T> {
  const target = await startRoutingTarget(router, fake.url, options);
  try {
    return await work(target);
  } finally {
    await target.stop();
  }
}
