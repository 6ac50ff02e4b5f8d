import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createWorker, OEM, type Worker } from 'tesseract.js';
import { linkedSignal, untilAborted } from '../../core/abort.js';
import { imageForOcr } from './ocr-image.js';

export interface RecognizedText {
  text: string;
  /** Tesseract's mean confidence over the words, 0 to 1. */
  confidence: number;
}

/** Below this mean word confidence (of 100) Tesseract is reading texture or noise, not text. */
const MIN_CONFIDENCE = 40;

/**
 * Reads English text from images in-process with Tesseract (WebAssembly, in a worker thread).
 * One worker, started on first use (about half a second) and kept, reads one image at a time.
 * close() ends it; until then it keeps the process alive.
 */
export class TextReader {
  #worker: Promise<Worker> | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #closing = new AbortController();

  /**
   * The text in a PNG, JPEG, WebP or GIF image, or undefined when there is none worth keeping.
   * Aborting stops waiting at once; a recognition already running is ended with its worker.
   */
  async read(image: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<RecognizedText | undefined> {
    const { signal: stop, unlink } = linkedSignal(options.signal ? [options.signal, this.#closing.signal] : [this.#closing.signal]);
    try {
      stop.throwIfAborted();
      const turn = this.#queue.then(() => {
        stop.throwIfAborted();
        return untilAborted(this.#recognize(image, stop), stop);
      });
      this.#queue = turn.catch(() => {});
      return await untilAborted(turn, stop);
    } finally {
      unlink();
    }
  }

  /** Ends the worker; reads still waiting or running fail. */
  async close(): Promise<void> {
    this.#closing.abort(new Error('The text reader is closed'));
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.then((started) => started.terminate()).catch(() => {});
  }

  async #recognize(image: Uint8Array, stop: AbortSignal): Promise<RecognizedText | undefined> {
    const png = await imageForOcr(image);
    stop.throwIfAborted();
    const starting = this.#started();
    const worker = await starting;
    stop.throwIfAborted();
    // Tesseract cannot be interrupted inside an image; ending the thread is the only way to stop
    // it, and the next read starts a new one.
    const end = (): void => this.#discard(starting);
    stop.addEventListener('abort', end, { once: true });
    try {
      const { data } = await worker.recognize(png).catch((error: unknown) => {
        throw tesseractError(error);
      });
      const text = data.text.trim();
      return text && data.confidence >= MIN_CONFIDENCE ? { text, confidence: data.confidence / 100 } : undefined;
    } finally {
      stop.removeEventListener('abort', end);
    }
  }

  #started(): Promise<Worker> {
    if (!this.#worker) {
      const starting = startWorker();
      this.#worker = starting;
      starting.catch(() => this.#discard(starting));
    }
    return this.#worker;
  }

  #discard(worker: Promise<Worker>): void {
    if (this.#worker === worker) this.#worker = undefined;
    worker.then((started) => started.terminate()).catch(() => {});
  }
}

async function startWorker(): Promise<Worker> {
  const worker = await new Promise<Worker>((resolve, reject) => {
    createWorker('eng', OEM.LSTM_ONLY, {
      langPath: englishDataDirectory(),
      gzip: true,
      // The default cache writes eng.traineddata into the current directory; the data is read from
      // the package on every start instead (about 0.1 s).
      cacheMethod: 'none',
      // Without a handler tesseract.js throws worker errors from its message listener, out of reach
      // of any caller, and a failed start leaves createWorker's promise pending for ever.
      errorHandler: (error: unknown) => reject(tesseractError(error)),
    }).then(resolve, reject);
  });
  // Tesseract prints its warnings ("Invalid resolution 0 dpi") to stderr otherwise.
  await worker.setParameters({ debug_file: '/dev/null' }).catch((error: unknown) => {
    throw tesseractError(error);
  });
  return worker;
}

/**
 * Without a langPath tesseract.js downloads the data from a CDN. The LSTM-only integer model is
 * what it would download for OEM.LSTM_ONLY: 2.9 MB instead of 10.9 MB with the legacy engine's data.
 */
function englishDataDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('@tesseract.js-data/eng/package.json')), '4.0.0_best_int');
}

/** tesseract.js rejects with the worker's error as a string. */
function tesseractError(error: unknown): Error {
  return new Error(`Tesseract failed: ${String(error)}`);
}
