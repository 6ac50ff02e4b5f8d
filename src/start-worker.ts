import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * A worker thread running the module `name` next to `base` (an import.meta.url). Compiled
 * JavaScript runs as is; the TypeScript sources (tests, tsx) need tsx's loader in the worker too.
 */
export function startWorker(base: string, name: string, options: WorkerOptions = {}): Worker {
  const typescript = base.endsWith('.ts');
  const entry = new URL(`./${name}.${typescript ? 'ts' : 'js'}`, base);
  if (!typescript) return new Worker(entry, options);
  return new Worker(`import('tsx/esm/api').then((tsx) => tsx.register()).then(() => import(${JSON.stringify(entry.href)}))`, { ...options, eval: true });
}
