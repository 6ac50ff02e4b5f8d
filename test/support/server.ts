import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { Database } from '../../src/store/database.js';
import { recordingLog } from './log.js';

export interface RunningServer {
  url: string;
  app: App;
  log: ReturnType<typeof recordingLog>;
  close(): Promise<void>;
}

/** The real app on a real HTTP port on 127.0.0.1, over the given database. */
export async function startServer(database: Database, env: Record<string, string> = {}, options: AppOptions = {}): Promise<RunningServer> {
  const config: Config = loadConfig({ RATE_LIMIT_PER_MINUTE: '100000', RATE_LIMIT_BURST: '100000', ...env });
  const log = recordingLog();
  const app = createApp(config, database, log, options);
  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ fetch: app.web.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(started));
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    log,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await app.close();
    },
  };
}
