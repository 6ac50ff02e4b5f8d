import type { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { UserError } from '../../core/errors.js';
import sharp from '../../images/sharp.js';
import { startWorker } from '../../start-worker.js';
import { CHART_FONT, LIMITS, PNG_SCALE } from './limits.js';
import type { DrawRequest, DrawResponse } from './render-worker.js';
import type { Spec } from './spec-shape.js';
import type { Drawn } from './svg.js';

export interface RenderedChart {
  png: Uint8Array;
  /** Size of the PNG in pixels. */
  width: number;
  height: number;
}

export interface RendererOptions {
  timeoutMs: number;
  heapMb: number;
  maxMarks: number;
}

/**
 * Draws Vega-Lite specs in a worker thread, one at a time, under a time and memory limit: a
 * regular expression that backtracks for minutes or a spec that needs gigabytes is stopped (the
 * worker is ended and a new one started for the next chart), never the bot. The SVG becomes a PNG
 * with sharp on the main thread, with the fonts set explicitly.
 */
export class ChartRenderer {
  #worker: Promise<Worker> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 0;
  readonly #options: RendererOptions;

  constructor(options: Partial<RendererOptions> = {}) {
    this.#options = { timeoutMs: LIMITS.renderMs, heapMb: LIMITS.renderHeapMb, maxMarks: LIMITS.marks, ...options };
  }

  async render(spec: Spec, signal?: AbortSignal): Promise<RenderedChart> {
    return toPng(await this.svg(spec, signal));
  }

  /** The SVG step alone, in the worker. */
  svg(spec: Spec, signal?: AbortSignal): Promise<Drawn> {
    const turn = this.#queue.then(() => this.#draw(withChartConfig(spec), signal));
    this.#queue = turn.catch(() => undefined);
    return turn;
  }

  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await (await worker?.catch(() => undefined))?.terminate();
  }

  async #draw(spec: TopLevelSpec, signal: AbortSignal | undefined): Promise<Drawn> {
    signal?.throwIfAborted();
    const starting = (this.#worker ??= this.#start());
    const worker = await starting;
    signal?.throwIfAborted();
    const id = this.#nextId++;
    return new Promise<Drawn>((resolve, reject) => {
      const discard = () => {
        cleanUp();
        this.#forget(starting);
        void worker.terminate();
      };
      const stop = (error: UserError) => {
        discard();
        reject(error);
      };
      const timer = setTimeout(
        () =>
          stop(
            new UserError(
              'timeout',
              `That chart took longer than ${this.#options.timeoutMs / 1000} s to draw, so I stopped it. Simplify it (fewer rows, simpler expressions).`,
            ),
          ),
        this.#options.timeoutMs,
      );
      const onAbort = () => stop(new UserError('timeout', 'That took too long, so I stopped drawing the chart.'));
      const onMessage = (response: DrawResponse) => {
        if ('ready' in response || response.id !== id) return;
        cleanUp();
        if (response.ok) resolve({ svg: response.svg, width: response.width, height: response.height, marks: response.marks });
        else reject(drawFailure(response));
      };
      const onError = (error: Error) => {
        discard();
        reject(workerFailure(error));
      };
      const onExit = () => onError(new Error('the chart renderer stopped'));
      const cleanUp = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
      worker.postMessage({ id, spec, maxMarks: this.#options.maxMarks } satisfies DrawRequest);
    });
  }

  /** A worker that has loaded vega, or the reason it could not. */
  #start(): Promise<Worker> {
    const worker = startWorker(import.meta.url, 'render-worker', { resourceLimits: { maxOldGenerationSizeMb: this.#options.heapMb } });
    // An idle renderer must not keep the process alive.
    worker.unref();
    const started = new Promise<Worker>((resolve, reject) => {
      const settle = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      const onMessage = (message: DrawResponse) => {
        if (!('ready' in message)) return;
        settle();
        resolve(worker);
      };
      const onError = (error: Error) => {
        settle();
        this.#forget(started);
        reject(workerFailure(error));
      };
      const onExit = () => onError(new Error('the chart renderer stopped while starting'));
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    // A worker that fails between charts is replaced at the next one; its error must not go unheard.
    const replace = () => this.#forget(started);
    worker.on('error', replace).on('exit', replace);
    return started;
  }

  /** The next chart starts a new worker. */
  #forget(worker: Promise<Worker>): void {
    if (this.#worker === worker) this.#worker = undefined;
  }
}

function workerFailure(error: Error): Error {
  const memory = 'code' in error && error.code === 'ERR_WORKER_OUT_OF_MEMORY';
  return memory ? new UserError('too_much_data', 'That chart needs more memory than I give one chart, so I stopped it.', { cause: error }) : error;
}

function drawFailure(response: Extract<DrawResponse, { ok: false }>): Error {
  if (response.kind === 'invalid')
    return new UserError('invalid_input', `That chart spec isn't valid Vega-Lite: ${response.message}`, { detail: { spec: true } });
  if (response.kind === 'too_many_marks') return new UserError('too_much_data', `That's too much to draw: ${response.message}.`);
  return new Error(`chart renderer: ${response.message}`);
}

/** The font is set, not left to the machine; the background is opaque so the PNG reads the same in dark mode. */
export function withChartConfig(spec: Spec): TopLevelSpec {
  const config = typeof spec['config'] === 'object' && spec['config'] !== null ? spec['config'] : {};
  return { ...spec, config: { background: 'white', ...config, font: CHART_FONT } } as TopLevelSpec;
}

/** The PNG step alone: the SVG rasterized by librsvg at PNG_SCALE, refused above the pixel cap before any drawing. */
export async function toPng(drawn: Pick<Drawn, 'svg' | 'width' | 'height'>): Promise<RenderedChart> {
  const width = Math.ceil(drawn.width * PNG_SCALE);
  const height = Math.ceil(drawn.height * PNG_SCALE);
  if (width * height > LIMITS.pixels) {
    throw new UserError('too_much_data', `That chart would be ${width}×${height} pixels; I make charts up to ${(LIMITS.pixels / 1e6).toFixed(0)} megapixels.`);
  }
  if (/<image\b|\shref="(?!data:)/i.test(drawn.svg)) throw new UserError('invalid_input', 'That chart links to something outside it, which I never draw.');
  const { data, info } = await sharp(Buffer.from(drawn.svg), { density: 72 * PNG_SCALE, limitInputPixels: LIMITS.pixels })
    .flatten({ background: '#ffffff' })
    .png()
    .toBuffer({ resolveWithObject: true });
  return { png: new Uint8Array(data), width: info.width, height: info.height };
}

/** The renderer the chart tool uses; its worker starts with the first chart. */
export const chartRenderer = new ChartRenderer();
