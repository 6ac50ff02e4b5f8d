import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

it('has committed migrations that match the drizzle schema', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'migrations-'));
  try {
    await cp('migrations', join(dir, 'migrations'), { recursive: true });
    const config = join(dir, 'drizzle.config.ts');
    // drizzle-kit takes `out` relative to the working directory, and exits 0 even when it fails.
    await writeFile(config, `export default { dialect: 'postgresql', schema: ${JSON.stringify(resolve('src/store/schema.ts'))}, out: './migrations' };\n`);
    const before = await readdir(join(dir, 'migrations'), { recursive: true });
    const { stdout } = await run(resolve('node_modules/.bin/drizzle-kit'), ['generate', '--config', 'drizzle.config.ts'], { cwd: dir });
    expect(stdout).toContain('No schema changes');
    expect(await readdir(join(dir, 'migrations'), { recursive: true })).toEqual(before);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
