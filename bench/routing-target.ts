import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from './child.js';
import { onCleanup } from './cleanup.js';
import { ROOT } from './paths.js';
import { control } from './routing-client.js';
import type { Recording } from './timing-recorder.js';

const ROUTING_SERVER = fileURLToPath(new URL('./routing-server.ts', import.meta.url));

/** How free text is routed: by the chat model (through the fake), or by keywords with no model configured. */
export type RouterKind = 'model' | 'keywords';

export interface RoutingTarget {
  baseUrl: string;
  pid: number;
  startTimings: () => Promise<void>;
  takeTimings: () => Promise<Recording>;
  memory: () => Promise<NodeJS.MemoryUsage>;
  /** Profiles what `work` makes the server do (only when started with a profile directory); the .cpuprofile file. */
  profile: (name: string, work: () => Promise<unknown>) => Promise<string>;
  /** Stops the server and removes its data directory. */
  stop: () => Promise<void>;
}

export interface TargetOptions {
  /** Where CPU profiles go; without it the server cannot profile. */
  profileDir?: string;
  /** A Postgres server database to use instead of PGlite. */
  databaseUrl?: string;
}

/** The routing server in a child process on a fresh PGlite data directory in a temp dir, or on the given Postgres database. */
export async function startRoutingTarget(router: RouterKind, fakeUrl: string, options: TargetOptions = {}): Promise<RoutingTarget> {
  const dir = await mkdtemp(join(tmpdir(), 'assistant-bench-routing-'));
  const removeDir = onCleanup(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  const env = {
    LOG_LEVEL: 'warn',
    BENCH_FAKE_URL: router === 'model' ? fakeUrl : '',
    BENCH_PGLITE_DIR: join(dir, 'pgdata'),
    BENCH_SERVER_DATABASE_URL: options.databaseUrl ?? '',
    BENCH_PROFILE_DIR: options.profileDir ?? '',
  };
  const server = startChild(process.execPath, ['--expose-gc', '--import', 'tsx', ROUTING_SERVER], env, `routing server (${router})`, ROOT);
  try {
    const { match } = await server.waitForLine(/^BENCH_READY (\d+)$/, 60_000);
    const baseUrl = `http://127.0.0.1:${match[1] ?? ''}`;
    return {
      baseUrl,
      pid: server.pid,
      startTimings: async () => {
        await control(baseUrl, '/bench/timings/start');
      },
      takeTimings: () => control<Recording>(baseUrl, '/bench/timings/take'),
      memory: () => control<NodeJS.MemoryUsage>(baseUrl, '/bench/memory'),
      profile: async (name, work) => {
        await control(baseUrl, '/bench/profile/start');
        await work();
        return (await control<{ file: string }>(baseUrl, `/bench/profile/stop?name=${encodeURIComponent(name)}`)).file;
      },
      stop: async () => {
        await server.stop();
        await removeDir();
      },
    };
  } catch (error) {
    await server.stop();
    await removeDir();
    throw error;
  }
}
