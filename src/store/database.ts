import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Log } from '../core/log.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
/** What a transaction can do; the same calls as on `db`. */
export type Executor = Pick<Db, 'select' | 'insert' | 'update' | 'delete'>;

export interface Database {
  db: Db;
  /** Runs `work` in one transaction: all of it is stored, or none. */
  transaction: <T>(work: (tx: Executor) => Promise<T>) => Promise<T>;
  kind: 'postgres' | 'pglite';
  /** Where the data lives, safe to print: never a password. */
  where: string;
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

/** Start-up failed for a reason worth printing as is; the message names no secret. */
export class DatabaseStartError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'DatabaseStartError';
  }
}

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));
/** Any fixed number; instances starting together take turns migrating. */
const MIGRATION_LOCK = 7_304_112;

export async function openPostgres(url: string, log: Log): Promise<Database> {
  const where = describePostgresUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, statement_timeout: 15_000 });
  pool.on('error', (error) => log.warn({ err: error, where }, 'idle database connection failed'));
  // A connection lost while checked out (mid-transaction) emits 'error' on its client, which the
  // pool does not listen to then; unheard, it would end the process. The query itself fails too.
  pool.on('connect', (client) => client.on('error', (error) => log.warn({ err: error, where }, 'database connection lost')));
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseStartError(`Cannot connect to Postgres at ${where}: ${reason(error)}`, { cause: error });
  }
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrateNodePg(drizzleNodePg(client), { migrationsFolder: MIGRATIONS });
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new DatabaseStartError(`Cannot migrate the database at ${where}: ${reason(error)}`, { cause: error });
  } finally {
    client.release();
  }
  return {
    db: drizzleNodePg(pool, { schema }),
    transaction: async (work) => {
      // drizzle's pooled transaction() leaks the client when BEGIN fails and returns a client
      // whose rollback failed to the pool as healthy (drizzle-orm#6241, #6114); so the client is
      // checked out here and, after any failure, released with the error, which destroys it.
      const client = await pool.connect();
      let failure: Error | undefined;
      try {
        return await drizzleNodePg(client).transaction((tx) => work(tx));
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        throw error;
      } finally {
        client.release(failure);
      }
    },
    kind: 'postgres',
    where,
    ping: async () => {
      await pool.query('select 1');
    },
    close: () => pool.end(),
  };
}

export interface PgliteOptions {
  /** A directory to keep the data in; in memory when absent. */
  dataDir?: string;
  /** A data directory dumped by `dumpDataDir`, to start from instead of an empty cluster. */
  template?: Blob;
}

export interface EmbeddedDatabase extends Database {
  /** The whole data directory as a tarball, for `template`. */
  dump: () => Promise<Blob>;
}

export async function openPglite(options: PgliteOptions): Promise<EmbeddedDatabase> {
  const { dataDir, template } = options;
  const where = dataDir ? `embedded Postgres (PGlite) in ${dataDir}` : 'embedded Postgres (PGlite) in memory';
  let client: PGlite;
  try {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    client = await PGlite.create({ ...(dataDir ? { dataDir } : {}), ...(template ? { loadDataDir: template } : {}) });
  } catch (error) {
    throw new DatabaseStartError(`Cannot open the ${where}: ${reason(error)}`, { cause: error });
  }
  const db = drizzlePglite(client, { schema });
  try {
    await migratePglite(db, { migrationsFolder: MIGRATIONS });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new DatabaseStartError(`Cannot migrate the ${where}: ${reason(error)}`, { cause: error });
  }
  return {
    db,
    transaction: (work) => db.transaction((tx) => work(tx)),
    kind: 'pglite',
    where,
    ping: async () => {
      await client.query('select 1');
    },
    close: async () => {
      if (!client.closed) await client.close();
    },
    dump: () => client.dumpDataDir('none'),
  };
}

/** "postgres://app@db.internal:5432/assistant", with the password left out. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || parsed.searchParams.get('host') || 'localhost';
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${host}:${parsed.port || '5432'}${parsed.pathname || '/'}`;
  } catch {
    return '(an unparseable DATABASE_URL)';
  }
}

function reason(error: unknown): string {
  if (error instanceof AggregateError && error.errors[0] instanceof Error) return reason(error.errors[0]);
  if (error instanceof Error) return 'code' in error && typeof error.code === 'string' && !error.message.includes(error.code) ? `${error.code} ${error.message}` : error.message;
  return String(error);
}
