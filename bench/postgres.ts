import pg from 'pg';
import { onCleanup } from './cleanup.js';

export const DEFAULT_ADMIN_URL = 'postgres://root@127.0.0.1:5432/postgres';

/** The server's version, or why it cannot be reached. */
export async function probePostgres(adminUrl: string): Promise<{ ok: true; version: string } | { ok: false; reason: string }> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const result = await client.query<{ server_version: string }>('show server_version');
    return { ok: true, version: result.rows[0]?.server_version ?? 'unknown' };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface FreshDatabase {
  url: string;
  name: string;
  /** Drops it now (it is dropped at clean-up otherwise). */
  drop: () => Promise<void>;
}

/** A new, empty database on the server (the app migrates it on open); dropped at clean-up. */
export async function createFreshDatabase(adminUrl: string, purpose: string): Promise<FreshDatabase> {
  const name = `assistant_bench_${purpose}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  await adminQuery(adminUrl, `create database ${name}`);
  const drop = onCleanup(`drop database ${name}`, () => adminQuery(adminUrl, `drop database if exists ${name} with (force)`));
  const target = new URL(adminUrl);
  target.pathname = `/${name}`;
  return { url: target.toString(), name, drop };
}

async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Process ids of the server backends connected to a database (on this machine, their CPU can be read). */
export async function backendPids(adminUrl: string, database: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const result = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1', [database]);
    return result.rows.map((row) => row.pid);
  } finally {
    await client.end();
  }
}
