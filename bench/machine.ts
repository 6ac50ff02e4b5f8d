import { readFile } from 'node:fs/promises';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** One line about the machine and the software versions that shape the numbers. */
export async function machineInfo(postgresVersion: string | undefined): Promise<string[]> {
  const cores = cpus();
  const pglite = await packageVersion('@electric-sql/pglite');
  const hono = await packageVersion('hono');
  return [
    `Machine : ${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${process.platform} ${release()}`,
    `Software: Node ${process.version}, PGlite ${pglite}, Hono ${hono}, Postgres server ${postgresVersion ?? '(not used)'}`,
  ];
}

async function packageVersion(name: string): Promise<string> {
  try {
    const manifest = JSON.parse(await readFile(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string };
    return manifest.version ?? '?';
  } catch {
    return '?';
  }
}
