import { mkdir } from 'node:fs/promises';
import type { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { DatabaseStartError, MIGRATIONS, reason, type Database } from './database.js';
import { PgliteThread, type ThreadOptions } from './pglite-thread.js';
import * as schema from './schema.js';

export interface EmbeddedDatabase extends Database {
  /** The whole data directory as a tarball, for `template`. */
  dump: () => Promise<Blob>;
}

/** Postgres embedded (PGlite), run in a thread of its own. */
export async function openPglite(options: ThreadOptions): Promise<EmbeddedDatabase> {
  const { dataDir } = options;
  const where = dataDir ? `embedded Postgres (PGlite) in ${dataDir}` : 'embedded Postgres (PGlite) in memory';
  let client: PgliteThread;
  try {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    client = await PgliteThread.start(options);
  } catch (error) {
    throw new DatabaseStartError(`Cannot open the ${where}: ${reason(error)}`, { cause: error });
  }
  // drizzle's driver is typed for PGlite itself; it calls only query() and transaction(), which the thread answers.
  const db = drizzlePglite(client as unknown as PGlite, { schema });
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
    close: () => client.close(),
    dump: () => client.dumpDataDir(),
  };
}
