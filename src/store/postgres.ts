import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { Log } from '../core/log.js';
import { DatabaseStartError, MIGRATIONS, reason, type Database } from './database.js';
import * as schema from './schema.js';

/** Any fixed number; instances starting together take turns migrating. */
const MIGRATION_LOCK = 7_304_112;

export async function openPostgres(url: string, log: Log, poolSize = 20): Promise<Database> {
  const where = describePostgresUrl(url);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000, idleTimeoutMillis: 30_000, statement_timeout: 15_000 });
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
