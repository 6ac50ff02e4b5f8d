import { reply, type FakeInference } from '../test/fakes/inference-server.js';
import { coveredWithin, maxOverlap } from './intervals.js';
import { cpuMs } from './proc.js';
import { postMessage } from './routing-client.js';
import { QUESTION } from './routing-messages.js';
import type { RoutingTarget } from './routing-target.js';

export interface BurstSettings {
  requests: number;
  modelDelayMs: number;
  /** Measured bursts after one cold one. */
  rounds: number;
  /** Where to write a CPU profile of the server during one more burst (not in the figures), or none. */
  cpuProfDir: string | undefined;
}

export interface BurstReport {
  rounds: BurstRound[];
  profileFile?: string;
}

export type Store = 'pglite' | 'postgres';

export interface BurstRound {
  store: Store;
  label: string;
  ok: number;
  /** Client: first send to the last answer read. */
  wallMs: number;
  /** Client: the longest single round trip. */
  slowestMs: number;
  /** Server: first to last request arrival (request listener entered): a client holding requests back, or a server too busy to read them, spreads them. */
  arrivalSpreadMs: number;
  /** Server: first arrival to the first model call's start: one message's work before its model call, unhurried. */
  firstModelStartMs: number;
  /** Server: first arrival to the last model call's start; work done one message at a time before the model call shows here. */
  lastModelStartMs: number;
  /** Server: how long its event loop sat idle between the first arrival and the last model call's start; near 0 means it was busy all along. */
  idleBeforeLastModelMs: number;
  /** Server: most model calls in flight at once. */
  modelInFlight: number;
  /** Server: the last model call's end to the last response finished; the writes after the model. */
  afterModelMs: number;
  /** TCP connections the server accepted during the burst. */
  connections: number;
  /** Server: time PGlite's statements ran in the database thread during the burst, and the part of it before the last model call started. */
  databaseMs: number;
  databaseBeforeLastModelMs: number;
  /** CPU time the server used for the whole burst (from /proc; 10 ms ticks). */
  serverCpuMs: number | undefined;
  /** CPU time of the Postgres server's backends for the database, where there is one. */
  databaseCpuMs: number | undefined;
  /** CPU time of this process (the load generator and the fake model) during the burst: it shares the machine's cores with the server. */
  benchCpuMs: number;
}

/** The store behind the server, and how to read the CPU time its own processes used so far (Postgres server only). */
export interface BurstStore {
  store: Store;
  cpuMs?: () => Promise<number | undefined>;
}

const ANSWER = 'Paris is the capital of France.';

/** Figure 2: `requests` messages at once, each in a new conversation from a user of its own, against a model that takes `modelDelayMs`. */
export async function measureBursts(target: RoutingTarget, fake: FakeInference, settings: BurstSettings, store: BurstStore): Promise<BurstReport> {
  const rounds: BurstRound[] = [];
  for (let round = 0; round <= settings.rounds; round++) {
    rounds.push(await burst(target, fake, settings, store, round === 0 ? 'cold (first burst)' : `burst ${round}`, round));
    fake.requests.splice(0);
  }
  if (!settings.cpuProfDir) return { rounds };
  const profileFile = await target.profile(`routing-burst-${store.store}`, () => burst(target, fake, settings, store, 'profiled', settings.rounds + 1));
  fake.requests.splice(0);
  return { rounds, profileFile };
}

async function burst(
  target: RoutingTarget,
  fake: FakeInference,
  settings: BurstSettings,
  store: BurstStore,
  label: string,
  round: number,
): Promise<BurstRound> {
  fake.script('chat', ...Array.from({ length: settings.requests }, () => reply.text(ANSWER, { delayMs: settings.modelDelayMs })));
  await target.startTimings();
  const cpuBefore = await cpuMs(target.pid);
  const databaseCpuBefore = await store.cpuMs?.();
  const benchCpuBefore = process.cpuUsage();
  const started = performance.now();
  const answers = await Promise.all(
    Array.from({ length: settings.requests }, async (_, i) => {
      // No conversation: each message starts its own.
      const answered = await postMessage(target.baseUrl, { user: `burst-${round}-${i}`, text: QUESTION });
      return { ...answered, at: performance.now() };
    }),
  );
  const benchCpu = process.cpuUsage(benchCpuBefore);
  const cpuAfter = await cpuMs(target.pid);
  const databaseCpuAfter = await store.cpuMs?.();
  const recording = await target.takeTimings();
  const leftOver = fake.remaining('chat');
  if (leftOver > 0) throw new Error(`${leftOver} scripted answers were not taken: some messages never reached the model`);

  if (recording.requests.length === 0 || recording.modelCalls.length === 0) throw new Error('the server recorded no messages or no model calls');
  const arrivals = recording.requests.map((request) => request.start);
  const firstArrival = Math.min(...arrivals);
  const first = recording.requests.find((request) => request.start === firstArrival);
  const lastCall = recording.modelCalls.reduce((latest, call) => (call.start > latest.start ? call : latest));
  const modelStarts = recording.modelCalls.map((call) => call.start);
  const modelEnds = recording.modelCalls.map((call) => call.end);
  const finishes = recording.requests.map((request) => request.end);
  return {
    store: store.store,
    label,
    ok: answers.filter((answer) => answer.status === 200 && answer.text === ANSWER).length,
    wallMs: Math.max(...answers.map((answer) => answer.at)) - started,
    slowestMs: Math.max(...answers.map((answer) => answer.ms)),
    arrivalSpreadMs: Math.max(...arrivals) - firstArrival,
    databaseMs: coveredWithin(recording.databaseCalls, { start: firstArrival, end: Math.max(...finishes) }),
    databaseBeforeLastModelMs: coveredWithin(recording.databaseCalls, { start: firstArrival, end: Math.max(...modelStarts) }),
    firstModelStartMs: Math.min(...modelStarts) - firstArrival,
    lastModelStartMs: Math.max(...modelStarts) - firstArrival,
    idleBeforeLastModelMs: lastCall.idleAtStart - (first?.idleAtStart ?? Number.NaN),
    modelInFlight: maxOverlap(recording.modelCalls),
    afterModelMs: Math.max(...finishes) - Math.max(...modelEnds),
    connections: recording.connections,
    serverCpuMs: difference(cpuBefore, cpuAfter),
    databaseCpuMs: difference(databaseCpuBefore, databaseCpuAfter),
    benchCpuMs: (benchCpu.user + benchCpu.system) / 1000,
  };
}

function difference(before: number | undefined, after: number | undefined): number | undefined {
  return before === undefined || after === undefined ? undefined : after - before;
}
