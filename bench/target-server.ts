/**
 * The server under load, run as its own process so the load generator does not share its event
 * loop: the real app (createApp, as main wires it) plus a bare echo route that is the floor.
 *   BENCH_SERVER_DATABASE_URL  Postgres server database (else PGlite)
 *   BENCH_PGLITE_DIR           PGlite data directory (else in memory)
 *   BENCH_PROFILE_DIR          adds POST /bench/profile/start and /bench/profile/stop?name=N (writes N.cpuprofile there)
 * Prints "BENCH_READY <port>" once listening; SIGTERM closes the server and the database.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Database } from '../src/store/database.js';
import { openPglite } from '../src/store/pglite.js';
import { openPostgres } from '../src/store/postgres.js';
import { mountProfiler } from './profiler-routes.js';

const config = loadConfig({ RATE_LIMIT_PER_MINUTE: '10000000', RATE_LIMIT_BURST: '10000000', LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn' });
const log = createLogger(config.LOG_LEVEL);
// Empty counts as unset: the parent sets every variable, so none leaks in from its own environment.
const databaseUrl = process.env['BENCH_SERVER_DATABASE_URL'] || undefined;
const pgliteDir = process.env['BENCH_PGLITE_DIR'] || undefined;
const profileDir = process.env['BENCH_PROFILE_DIR'] || undefined;
const database: Database = databaseUrl ? await openPostgres(databaseUrl, log) : await openPglite(pgliteDir ? { dataDir: pgliteDir } : {});
const app = createApp(config, database, log);

const outer = new Hono();
// The floor: HTTP, routing and JSON both ways, nothing else. Shaped like the /api/messages answer.
outer.post('/bench/echo', async (c) => {
  const body = await c.req.json<{ conversation?: string; text?: string }>();
  return c.json({ conversation: body.conversation ?? 'new', message: '0', duplicate: false, replies: [{ type: 'text', text: body.text ?? '' }] });
});
if (profileDir) mountProfiler(outer, profileDir);
outer.route('/', app.web);

const server = serve({ fetch: outer.fetch, port: 0, hostname: '127.0.0.1' }, (address) => console.log(`BENCH_READY ${address.port}`));

process.once('SIGTERM', () => {
  server.close(() => {
    database.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  // Keep-alive connections left open by the load generator would hold close() up.
  if ('closeAllConnections' in server) server.closeAllConnections();
});
