import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../../src/store/database.js';
import { openPglite } from '../../src/store/pglite.js';
import { openPostgres } from '../../src/store/postgres.js';
import { silentLog } from './log.js';

export interface TestDatabase extends Database {
  /** The connection URL, for a database on a Postgres server. */
  url?: string;
  /** Drops what the test created (a whole database on a Postgres server). */
  destroy: () => Promise<void>;
}

export interface Backend {
  name: 'pglite' | 'postgres';
  open(): Promise<TestDatabase>;
}

export const TEST_DATABASE_URL = process.env['TEST_DATABASE_URL'];

if (!TEST_DATABASE_URL) console.log('skipped: the Postgres server runs of the store and API suites (TEST_DATABASE_URL is not set)');

/** An embedded database loaded from the migrated template the global setup made. */
export async function openTestPglite(): Promise<TestDatabase> {
  const template = new Blob([new Uint8Array(await readFile(inject('pgliteTemplate')))]);
  const database = await openPglite({ template });
  return { ...database, destroy: database.close };
}

/** A fresh database on the test server, migrated like production; dropped by destroy(). */
export async function openTestPostgres(url = requireUrl()): Promise<TestDatabase> {
  const name = `assistant_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  const database = await openPostgres(target.toString(), silentLog);
  return {
    ...database,
    url: target.toString(),
    destroy: async () => {
      await database.close();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export const backends: Backend[] = [
  { name: 'pglite', open: openTestPglite },
  ...(TEST_DATABASE_URL ? [{ name: 'postgres' as const, open: () => openTestPostgres() }] : []),
];

function requireUrl(): string {
  if (!TEST_DATABASE_URL) throw new Error('TEST_DATABASE_URL is not set');
  return TEST_DATABASE_URL;
}
