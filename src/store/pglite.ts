import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { DatabaseStartError, MIGRATIONS, reason, type Database } from './database.js';
import { drizzleClient } from './pglite-client.js';
import * as schema from './schema.js';

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
  const db = drizzlePglite(drizzleClient(client), { schema });
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
