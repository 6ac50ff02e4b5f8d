/**
 * The server for the routing benchmark, a process of its own so that the load generator and the
 * fake model (both in the parent) do not share its event loop or its heap: the real app on PGlite
 * (or a Postgres server database), with chat through Hugging Face Inference Providers pointed at
 * the parent's fake, or with no model at all (keyword rules). Run it with --expose-gc.
 *   BENCH_FAKE_URL             the fake inference server; empty: no HF_TOKEN, free text goes to the keyword rules
 *   BENCH_PGLITE_DIR           PGlite data directory
 *   BENCH_SERVER_DATABASE_URL  a Postgres server database to use instead (empty: PGlite)
 *   BENCH_PROFILE_DIR          adds POST /bench/profile/start and /bench/profile/stop?name=N (writes N.cpuprofile there)
 * Besides the app: POST /bench/timings/start and /bench/timings/take (a Recording), and
 * POST /bench/memory (process.memoryUsage() after a full GC).
 * Prints "BENCH_READY <port>" once listening; SIGTERM closes the server and the database.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import type { Database } from '../src/store/database.js';
import { openPglite } from '../src/store/pglite.js';
import { openPostgres } from '../src/store/postgres.js';
import { rewritingFetch } from '../test/fakes/hosted-fetch.js';
import { mountProfiler } from './profiler-routes.js';
import { BENCH_HF_TOKEN, MESSAGES_PATH } from './routing-messages.js';
import { TimingRecorder } from './timing-recorder.js';

const fakeUrl = process.env['BENCH_FAKE_URL'] || undefined;
const pgliteDir = process.env['BENCH_PGLITE_DIR'];
const databaseUrl = process.env['BENCH_SERVER_DATABASE_URL'] || undefined;
if (!pgliteDir && !databaseUrl) throw new Error('set BENCH_PGLITE_DIR or BENCH_SERVER_DATABASE_URL');
const profileDir = process.env['BENCH_PROFILE_DIR'] || undefined;
const gc = globalThis.gc;
if (!gc) throw new Error('run with node --expose-gc');

// Rate limits out of the way: the figures send many messages from few users, quickly.
const config = loadConfig({
  RATE_LIMIT_PER_MINUTE: '10000000',
  RATE_LIMIT_BURST: '10000000',
  LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'warn',
  ...(fakeUrl ? { HF_TOKEN: BENCH_HF_TOKEN } : {}),
});
const log = createLogger(config.LOG_LEVEL);
const recorder = new TimingRecorder((path) => path === MESSAGES_PATH);
const database: Database = databaseUrl
  ? await openPostgres(databaseUrl, log)
  : await openPglite({ dataDir: pgliteDir, onStatement: (time) => recorder.databaseCall(time) });
const app = createApp(config, database, log, fakeUrl ? { fetch: recorder.fetch(rewritingFetch(fakeUrl)) } : {});

const outer = new Hono();
outer.post('/bench/timings/start', (c) => {
  recorder.start();
  return c.json({ recording: true });
});
outer.post('/bench/timings/take', async (c) => c.json(await recorder.take()));
outer.post('/bench/memory', (c) => {
  // Twice: the first collection can leave finalizers whose objects only the second frees.
  gc();
  gc();
  return c.json(process.memoryUsage());
});
if (profileDir) mountProfiler(outer, profileDir);
outer.route('/', app.web);

const server = createServer(recorder.listener(getRequestListener(outer.fetch)));
server.on('connection', () => recorder.countConnection());
server.listen(0, '127.0.0.1', () => console.log(`BENCH_READY ${(server.address() as AddressInfo).port}`));

process.once('SIGTERM', () => {
  server.close(() => {
    Promise.all([app.close(), database.close()]).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  server.closeAllConnections();
});
