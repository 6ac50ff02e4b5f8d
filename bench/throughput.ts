import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild } from './child.js';
import { onCleanup } from './cleanup.js';
import { runLoad, type LoadResult } from './load.js';
import { ROOT, TARGET_SERVER } from './paths.js';
import { backendPids, createFreshDatabase } from './postgres.js';
import { cpuMs } from './proc.js';
import { control } from './routing-client.js';

/** Five sentences, as a user would paste them. */
export const SUMMARIZE_TEXT =
  'summarize: The city council met on Tuesday to discuss the new budget. The treasurer said the deficit has grown to four million dollars. ' +
  'Several members proposed cutting the parks budget to close the gap. Others argued that parks are essential for the health of the community. ' +
  'The council will vote on the final budget next week.';

export type Backend = 'pglite' | 'postgres';
export type RouteName = 'echo' | 'summarize';

export const ROUTES: Record<RouteName, string> = { echo: '/bench/echo', summarize: '/api/messages' };

export interface ThroughputSettings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  conversations: number;
  /** Where to write a CPU profile of the server during an extra summarize run, or none. */
  cpuProfDir: string | undefined;
}

export interface Measurement {
  route: RouteName;
  connections: number;
  result: LoadResult;
  /** CPU time of the server process per answered request (PGlite runs inside it). */
  serverCpuMs: number | undefined;
  /** CPU time of the Postgres server backends serving the database, per answered request. */
  databaseCpuMs: number | undefined;
}

export interface BackendReport {
  backend: Backend;
  where: string;
  measurements: Measurement[];
  /** What the app stored, read back through its own API afterwards. */
  check: string;
  /** CPU profile of the server during an extra summarize run at the main concurrency, when asked for. */
  profileFile?: string;
}

/** Starts the target server on a fresh database, loads it, and removes it all again. */
export async function benchBackend(backend: Backend, settings: ThroughputSettings, adminUrl: string): Promise<BackendReport> {
  const env: Record<string, string> = { LOG_LEVEL: 'warn', BENCH_SERVER_DATABASE_URL: '', BENCH_PGLITE_DIR: '', BENCH_PROFILE_DIR: settings.cpuProfDir ?? '' };
  const undo: Array<() => Promise<void>> = [];
  let where: string;
  let databaseCpu: () => Promise<CpuSample | undefined> = () => Promise.resolve(undefined);
  if (backend === 'postgres') {
    const database = await createFreshDatabase(adminUrl, 'load');
    env['BENCH_SERVER_DATABASE_URL'] = database.url;
    undo.push(database.drop);
    databaseCpu = async () => sampleCpu(await backendPids(adminUrl, database.name));
    where = `fresh database ${database.name} on ${new URL(adminUrl).host}`;
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'assistant-bench-pglite-'));
    undo.push(onCleanup(`remove ${dir}`, () => rm(dir, { recursive: true, force: true })));
    env['BENCH_PGLITE_DIR'] = join(dir, 'pgdata');
    where = 'fresh data directory in a temp dir (as main does with DATA_DIR)';
  }
  const server = startChild(process.execPath, ['--import', 'tsx', TARGET_SERVER], env, `bench server (${backend})`, ROOT);
  undo.unshift(server.stop);
  try {
    const { match } = await server.waitForLine(/^BENCH_READY (\d+)$/, 60_000);
    const baseUrl = `http://127.0.0.1:${match[1] ?? ''}`;
    const conversations = await createConversations(baseUrl, settings.conversations);
    const load = (route: RouteName, connections: number, seconds: number): Promise<LoadResult> =>
      runLoad({ baseUrl, path: ROUTES[route], connections, seconds, conversations, text: SUMMARIZE_TEXT });
    const measure = async (route: RouteName, connections: number): Promise<Measurement> => {
      const serverBefore = await sampleCpu([server.pid]);
      const databaseBefore = await databaseCpu();
      const result = await load(route, connections, settings.seconds);
      const serverAfter = await sampleCpu([server.pid]);
      const databaseAfter = await databaseCpu();
      return {
        route,
        connections,
        result,
        serverCpuMs: perAnswer(serverBefore, serverAfter, result.ok),
        databaseCpuMs: perAnswer(databaseBefore, databaseAfter, result.ok),
      };
    };

    await load('echo', settings.connections, settings.warmupSeconds);
    await load('summarize', settings.connections, settings.warmupSeconds);
    const measurements: Measurement[] = [];
    let profileFile: string | undefined;
    for (const connections of [settings.connections, 1]) {
      for (const route of ['echo', 'summarize'] as const) measurements.push(await measure(route, connections));
    }
    if (settings.cpuProfDir) {
      // A run of its own, so that the profiler's cost stays out of the figures above.
      await control(baseUrl, '/bench/profile/start');
      await load('summarize', settings.connections, settings.seconds);
      profileFile = (await control<{ file: string }>(baseUrl, `/bench/profile/stop?name=${backend}-summarize-c${settings.connections}`)).file;
    }
    const check = await checkStored(baseUrl, conversations[0] ?? '');
    return { backend, where, measurements, check, ...(profileFile ? { profileFile } : {}) };
  } finally {
    for (const step of undo) await step();
  }
}

/** New conversations, each started by one summarize message; checks that the reply is a summary. */
async function createConversations(baseUrl: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${baseUrl}${ROUTES.summarize}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: 'bench-setup', text: SUMMARIZE_TEXT }),
    });
    const body = (await response.json()) as { conversation?: string; replies?: Array<{ text?: string }> };
    const reply = body.replies?.[0]?.text ?? '';
    if (!response.ok || !body.conversation || !reply.startsWith('- ')) {
      throw new Error(`POST ${ROUTES.summarize} did not answer with a summary (${response.status}): ${JSON.stringify(body).slice(0, 300)}`);
    }
    ids.push(body.conversation);
  }
  return ids;
}

async function checkStored(baseUrl: string, conversation: string): Promise<string> {
  const response = await fetch(`${baseUrl}/api/conversations/${conversation}/messages?limit=500`);
  const body = (await response.json()) as { messages?: Array<{ direction: string }> };
  const messages = body.messages ?? [];
  const incoming = messages.filter((message) => message.direction === 'in').length;
  return `one conversation read back: ${incoming} in / ${messages.length - incoming} out messages stored`;
}

/** CPU ms used so far by each of some processes. */
type CpuSample = Map<number, number>;

async function sampleCpu(pids: number[]): Promise<CpuSample | undefined> {
  const sample: CpuSample = new Map();
  for (const pid of pids) {
    const ms = await cpuMs(pid);
    if (ms === undefined) return undefined;
    sample.set(pid, ms);
  }
  return sample;
}

/** CPU used between two samples per answer; a process that appeared in between counts from zero. */
function perAnswer(before: CpuSample | undefined, after: CpuSample | undefined, answers: number): number | undefined {
  if (!before || !after || answers === 0) return undefined;
  let used = 0;
  for (const [pid, ms] of after) used += ms - (before.get(pid) ?? 0);
  return used / answers;
}
