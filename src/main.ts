import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createLogger } from './logger.js';
import { DatabaseStartError, type Database } from './store/database.js';

async function main(): Promise<void> {
  const started = performance.now();
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const log = createLogger(config.LOG_LEVEL);
  let database: Database;
  try {
    // Only the driver in use is loaded: each costs start-up time and memory.
    database = config.DATABASE_URL
      ? await (await import('./store/postgres.js')).openPostgres(config.DATABASE_URL, log, config.DATABASE_POOL_SIZE)
      : await (await import('./store/pglite.js')).openPglite({ dataDir: join(config.DATA_DIR, 'pgdata') });
  } catch (error) {
    if (!(error instanceof DatabaseStartError)) throw error;
    log.fatal({ err: error.cause }, error.message);
    console.error(error.message);
    process.exit(1);
  }
  const app = createApp(config, database, log);
  const server = serve({ fetch: app.web.fetch, port: config.PORT, hostname: config.HOST }, (address) => {
    const url = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${address.port}`;
    const tools = app.registry.list().map((tool) => tool.name);
    log.info({ url, database: database.where, tools, models: app.models, readyMs: Math.round(performance.now() - started) }, 'web chat ready');
    console.log(`Web chat: ${url}  (history: ${database.where})\nModels:\n${app.models.map((line) => `  ${line}`).join('\n')}`);
  });
  server.on('error', (error) => {
    log.fatal({ err: error }, `cannot listen on ${config.HOST}:${config.PORT}`);
    process.exit(1);
  });

  const stop = (signal: string): void => {
    log.info({ signal }, 'shutting down');
    server.close(() => {
      Promise.all([app.close(), database.close()]).then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
