import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import type { Hono } from 'hono';

/**
 * POST /bench/profile/start and /bench/profile/stop?name=N (writes N.cpuprofile into `dir`): a CPU
 * profile of just the span the load generator asks for, through the inspector.
 */
export function mountProfiler(router: Hono, dir: string): void {
  const session = new Session();
  session.connect();
  router.post('/bench/profile/start', async (c) => {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    return c.json({ profiling: true });
  });
  router.post('/bench/profile/stop', async (c) => {
    const { profile } = await session.post('Profiler.stop');
    const file = join(dir, `${(c.req.query('name') ?? 'server').replace(/[^\w-]/g, '_')}.cpuprofile`);
    await writeFile(file, JSON.stringify(profile));
    return c.json({ file });
  });
}
