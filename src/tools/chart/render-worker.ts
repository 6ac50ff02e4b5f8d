import { parentPort } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { drawSvg, SpecError } from './svg.js';

export interface DrawRequest {
  id: number;
  spec: TopLevelSpec;
  maxMarks: number;
}

export type DrawResponse =
  | { ready: true }
  | { id: number; ok: true; svg: string; width: number; height: number; marks: number }
  | { id: number; ok: false; kind: 'invalid' | 'too_many_marks' | 'failed'; message: string };

/** The render worker: one chart at a time, so the main thread can stop a chart that runs too long. */
parentPort?.on('message', (request: DrawRequest) => {
  drawSvg(request.spec, request.maxMarks).then(
    (drawn) => parentPort?.postMessage({ id: request.id, ok: true, ...drawn } satisfies DrawResponse),
    (error: unknown) => {
      const kind = error instanceof SpecError ? error.kind : 'failed';
      const message = error instanceof Error ? error.message : String(error);
      parentPort?.postMessage({ id: request.id, ok: false, kind, message } satisfies DrawResponse);
    },
  );
});

// Loading vega takes a while; a chart's time limit starts once it is loaded.
parentPort?.postMessage({ ready: true } satisfies DrawResponse);
