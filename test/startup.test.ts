import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestPostgres, TEST_DATABASE_URL, type TestDatabase } from './support/databases.js';

const TOKEN = 'hf_startup_token_must_not_print_0123456789';
let database: TestDatabase | undefined;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'startup-'));
  // A server database starts in well under a second; an embedded one is created from scratch.
  if (TEST_DATABASE_URL) database = await openTestPostgres();
});
afterAll(async () => {
  await database?.destroy();
  await rm(dataDir, { recursive: true, force: true });
});

it('prints where it listens and which model serves which task, never a token', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env,
      PORT: '0',
      DATA_DIR: dataDir,
      HF_TOKEN: TOKEN,
      MODEL_ENDPOINT_URL: 'http://127.0.0.1:9/gpu',
      MODEL_TRANSLATE: 'huggingface:Helsinki-NLP/opus-mt-en-de,chat',
      ...(database?.url ? { DATABASE_URL: database.url } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (/^ {2}caption: .*\n/m.test(output)) resolve();
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  try {
    await ready;
  } finally {
    child.kill('SIGTERM');
  }
  expect(output).toMatch(/Web chat: http:\/\/127\.0\.0\.1:\d+/);
  expect(output).toContain('chat: endpoint:(the server’s model) -> huggingface:meta-llama/Llama-4-Scout-17B-16E-Instruct');
  expect(output).toContain('translate: huggingface:Helsinki-NLP/opus-mt-en-de -> chat');
  expect(output).toContain('summarize: chat -> local');
  expect(output).toContain('caption: chat');
  expect(output).not.toContain(TOKEN);
}, 60_000);
