import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { StoreUnavailableError } from '../src/core/errors.js';
import { defineTool } from '../src/core/tool.js';
import { DatabaseStartError } from '../src/store/database.js';
import { openPostgres } from '../src/store/postgres.js';
import { HistoryStore } from '../src/store/history-store.js';
import { files } from '../src/store/schema.js';
import { openTestPglite, openTestPostgres, TEST_DATABASE_URL, type TestDatabase } from './support/databases.js';
import { history, PARAGRAPH, postJson } from './support/http.js';
import { silentLog } from './support/log.js';
import { buildPipeline } from './support/pipeline.js';
import { runsOf } from './support/runs.js';
import { startServer, type RunningServer } from './support/server.js';
import { TcpProxy } from './support/tcp-proxy.js';

describe('a database that is down at start', () => {
  it('is named by host, never by password', async () => {
    const error = await openPostgres('postgres://app:hunter2secret@127.0.0.1:1/assistant', silentLog).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatabaseStartError);
    expect((error as Error).message).toMatch(/^Cannot connect to Postgres at app@127\.0\.0\.1:1\/assistant: .*ECONNREFUSED/);
    expect((error as Error).message).not.toContain('hunter2secret');
  });

  it('stops the real process with that message and exit code 1', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, DATABASE_URL: 'postgres://app:hunter2secret@127.0.0.1:1/assistant', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(output).toContain('Cannot connect to Postgres at app@127.0.0.1:1/assistant');
    expect(output).not.toContain('hunter2secret');
  });

  it('lists every bad setting at once, hiding secret values', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://root:pw-do-not-print@db/x' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(output).toContain('The configuration has problems:');
    expect(output).toMatch(/- PORT: .*\(got "eighty"\)/);
    expect(output).toMatch(/- LOG_LEVEL: .*\(got "loud"\)/);
    expect(output).toMatch(/- DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL \(value hidden\)/);
    expect(output).not.toContain('pw-do-not-print');
    expect(output).not.toMatch(/\bat .+:\d+:\d+/);
  });
});

describe('an embedded database that goes away mid-run', () => {
  let database: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    database = await openTestPglite();
    server = await startServer(database);
  });
  afterAll(() => server.close());

  it('answers 503 with a clear message, and health says so', async () => {
    expect((await postJson(server.url, { text: '/help' })).status).toBe(200);
    await database.close();
    const result = await postJson(server.url, { text: 'summarize: ' + PARAGRAPH });
    expect(result.status).toBe(503);
    expect(result.body.error).toEqual({ code: 'store_unavailable', message: expect.stringContaining("can't reach my database") as string });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('a Postgres server that goes away mid-run', () => {
  let database: TestDatabase;
  let proxied: TestDatabase;
  let server: RunningServer;
  const proxy = new TcpProxy('127.0.0.1', 5432);

  beforeAll(async () => {
    database = await openTestPostgres();
    await proxy.start();
    const url = new URL(database.url ?? '');
    url.host = `127.0.0.1:${proxy.port}`;
    proxied = { ...(await openPostgres(url.toString(), silentLog)), destroy: () => Promise.resolve() };
    server = await startServer(proxied);
  });
  afterAll(async () => {
    await server.close();
    await proxied.close();
    await proxy.stop();
    await database.destroy();
  });

  it('refuses with 503 while it is away, keeps what was stored, and recovers', async () => {
    const first = await postJson(server.url, { text: 'summarize: ' + PARAGRAPH });
    expect(first.status).toBe(200);
    const conversation = first.body.conversation ?? '';
    await proxy.stop();

    const during = await postJson(server.url, { conversation, text: 'summarize this conversation' });
    expect(during.status).toBe(503);
    expect(during.body.error?.code).toBe('store_unavailable');
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    expect(server.log.lines.some((line) => line.level === 'error' && line.msg === 'database unavailable')).toBe(true);

    await proxy.start();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const kept = await history(server.url, conversation);
    expect(kept.map((message) => message.direction)).toEqual(['in', 'out']);
    const after = await postJson(server.url, { conversation, text: 'summarize this conversation' });
    expect(after.status).toBe(200);
    expect(await history(server.url, conversation)).toHaveLength(4);
  });

  it('writes nothing of a turn whose replies could not be stored', async () => {
    const cutting = defineTool({
      name: 'cut',
      description: 'Loses the database while drawing',
      input: z.object({}),
      run: async () => {
        await proxy.stop();
        return {
          replies: [
            { type: 'text', text: 'a chart' },
            { type: 'image', name: 'c.png', mime: 'image/png', alt: 'chart', bytes: new Uint8Array([1]) },
          ],
        };
      },
    });
    const store = new HistoryStore(proxied);
    const { pipeline } = buildPipeline(store, [cutting]);
    const inbound = {
      eventId: 'cut:1',
      conversation: { platform: 'web' as const, key: 'web:cut' },
      user: { id: 'web:u', name: 'U' },
      text: '/cut',
      attachments: [],
      receivedAt: new Date(),
    };
    await expect(pipeline.handle(inbound)).rejects.toBeInstanceOf(StoreUnavailableError);
    await proxy.start();
    const kept = await store.list('web:cut', { limit: 10 });
    expect(kept.map((message) => message.text)).toEqual(['/cut']);
    expect(await database.db.select().from(files)).toEqual([]);
    expect(await runsOf(database, kept[0]?.id)).toEqual([]);
  });
});
