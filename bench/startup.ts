import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startChild } from './child.js';
import { onCleanup } from './cleanup.js';
import { ROOT } from './paths.js';
import { memoryMiB } from './proc.js';
import { createFreshDatabase } from './postgres.js';

const MAIN = join(ROOT, 'dist', 'main.js');

export interface StartupRow {
  label: string;
  /** Spawn until GET /healthz answers 200. */
  readyMs: number;
  /** Spawn until the "Web chat:" line. */
  lineMs: number;
  /** main's own readyMs (after Node and the imports are up), from its log line. */
  inProcessMs: number | undefined;
  rssMiB: number;
  peakRssMiB: number;
}

/** Runs `npm run build` when dist/main.js is missing or older than anything in src/. */
export async function ensureBuilt(): Promise<string> {
  const built = await stat(MAIN).then(
    (info) => info.mtimeMs,
    () => undefined,
  );
  const newest = await newestMtime(join(ROOT, 'src'));
  if (built !== undefined && built >= newest) return 'dist/main.js is up to date with src/';
  const started = performance.now();
  const { code, output } = await run('npm', ['run', 'build']);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const why = built === undefined ? 'dist/main.js was missing' : 'src/ was newer than dist/';
  if (code === 0) return `${why}: npm run build took ${seconds} s`;
  // tsc still emits on type errors; go on with what it wrote, and say so.
  const emitted = await stat(MAIN).then(
    (info) => info.mtimeMs >= newest,
    () => false,
  );
  const errors = output.split('\n').filter((line) => line.includes('error TS'));
  if (!emitted) throw new Error(`npm run build failed (exit ${code}):\n${output}`);
  return `${why}: npm run build took ${seconds} s but reported ${errors.length} type error(s), first: ${errors[0] ?? '(none shown)'}; measuring what it emitted`;
}

/** First and warm starts of the built server on PGlite, and on Postgres when a server URL is given. */
export async function benchStartups(adminUrl: string | undefined, idleSeconds: number): Promise<StartupRow[]> {
  const rows: StartupRow[] = [];
  const dataDir = await mkdtemp(join(tmpdir(), 'assistant-bench-start-'));
  const removeDir = onCleanup(`remove ${dataDir}`, () => rm(dataDir, { recursive: true, force: true }));
  try {
    const pglite = { DATA_DIR: dataDir, DATABASE_URL: '' };
    rows.push(await measureStart('PGlite, first start (creates DATA_DIR/pgdata)', pglite, idleSeconds));
    rows.push(await measureStart('PGlite, warm start (same DATA_DIR)', pglite, idleSeconds));
    if (adminUrl) {
      const database = await createFreshDatabase(adminUrl, 'start');
      try {
        const postgres = { DATA_DIR: dataDir, DATABASE_URL: database.url };
        rows.push(await measureStart('Postgres, first start (fresh database, migrates)', postgres, idleSeconds));
        rows.push(await measureStart('Postgres, warm start (same database)', postgres, idleSeconds));
      } finally {
        await database.drop();
      }
    }
  } finally {
    await removeDir();
  }
  return rows;
}

async function measureStart(label: string, env: Record<string, string>, idleSeconds: number): Promise<StartupRow> {
  const child = startChild(process.execPath, [MAIN], { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' }, `node dist/main.js (${label})`, ROOT);
  try {
    const { match, at } = await child.waitForLine(/^Web chat: (http:\/\/\S+)/, 120_000);
    const url = match[1] ?? '';
    await untilHealthy(`${url}/healthz`, 10_000);
    const readyMs = performance.now() - child.spawnedAt;
    await sleep(idleSeconds * 1000);
    const memory = await memoryMiB(child.pid);
    return { label, readyMs, lineMs: at - child.spawnedAt, inProcessMs: loggedReadyMs(child.lines()), rssMiB: memory.rss, peakRssMiB: memory.peak };
  } finally {
    await child.stop();
  }
}

async function untilHealthy(url: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (performance.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms (last status ${status})`);
    await sleep(5);
  }
}

function loggedReadyMs(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { msg?: unknown; readyMs?: unknown };
      if (entry.msg === 'web chat ready' && typeof entry.readyMs === 'number') return entry.readyMs;
    } catch {
      // not a log line
    }
  }
  return undefined;
}

async function newestMtime(dir: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

function run(command: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}
