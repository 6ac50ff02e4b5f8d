import type { FakeInference } from '../test/fakes/inference-server.js';
import { backendPids, createFreshDatabase } from './postgres.js';
import { cpuMs } from './proc.js';
import type { BurstStore } from './routing-burst.js';
import { startRoutingTarget, type RoutingTarget } from './routing-target.js';

/**
 * The model-routing server on a fresh database on a Postgres server, for comparison with PGlite: the
 * database work then runs in the server's own processes, off the app's event loop. The database is
 * dropped afterwards.
 */
export async function withPostgresTarget<T>(
  adminUrl: string,
  fake: FakeInference,
  profileDir: string | undefined,
  work: (target: RoutingTarget, store: BurstStore) => Promise<T>,
): Promise<T> {
  const database = await createFreshDatabase(adminUrl, 'routing');
  try {
    const target = await startRoutingTarget('model', fake.url, { databaseUrl: database.url, ...(profileDir ? { profileDir } : {}) });
    try {
      return await work(target, { store: 'postgres', cpuMs: () => backendCpuMs(adminUrl, database.name) });
    } finally {
      await target.stop();
    }
  } finally {
    await database.drop();
  }
}

/** CPU time so far of the backends serving the database; a backend that started meanwhile counts from its start. */
async function backendCpuMs(adminUrl: string, name: string): Promise<number | undefined> {
  let total = 0;
  for (const pid of await backendPids(adminUrl, name)) {
    const ms = await cpuMs(pid);
    if (ms === undefined) return undefined;
    total += ms;
  }
  return total;
}
