import type { Worker } from 'node:worker_threads';
import type { QueryOptions, Results } from '@electric-sql/pglite';
import { startWorker } from '../start-worker.js';
import { errorFrom, type PgliteRequest, type PgliteResponse, type PgliteStart } from './pglite-protocol.js';

/** When a statement ran in the database thread, on this thread's performance.now() clock. */
export interface StatementTime {
  start: number;
  end: number;
}

export interface ThreadOptions {
  /** A directory to keep the data in; in memory when absent. */
  dataDir?: string;
  /** A dumped data directory to start from. */
  template?: Blob;
  /** Told of every statement (for measurements). */
  onStatement?: (time: StatementTime) => void;
}

/** The call drizzle's PGlite driver makes on a client, and on the client of a transaction. */
export interface PgliteCalls {
  query<T>(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results<T>>;
}

type RequestBody = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;
type Result = Extract<PgliteResponse, { kind: 'done' }>['result'];

/**
 * The embedded database in a thread of its own (pglite-worker.ts), seen as the PGlite client
 * drizzle expects: a statement runs there while this thread answers other messages. A transaction
 * holds the database until it ends, as in PGlite itself. The thread keeps the process alive only
 * while a call is waiting for it.
 */
export class PgliteThread implements PgliteCalls {
  readonly #pending = new Map<number, { resolve: (result: Result) => void; reject: (error: Error) => void }>();
  #nextId = 0;
  #stopped: Error | undefined;

  private constructor(
    private readonly worker: Worker,
    private readonly onStatement: ThreadOptions['onStatement'],
  ) {
    worker.on('message', (message: PgliteResponse) => this.#answer(message));
    worker.on('error', (error) => this.#stop(error));
    worker.on('exit', (code) => this.#stop(new Error(`the database thread exited (code ${code})`)));
    worker.unref();
  }

  static async start(options: ThreadOptions = {}): Promise<PgliteThread> {
    const template = options.template ? await options.template.arrayBuffer() : undefined;
    const start: PgliteStart = { ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(template ? { template } : {}) };
    const worker = startWorker(import.meta.url, 'pglite-worker', { workerData: start, transferList: template ? [template] : [] });
    await new Promise<void>((resolve, reject) => {
      const settle = () => worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      const onMessage = (message: PgliteResponse) => {
        if (message.kind === 'ready') resolve();
        else if (message.kind === 'failed') reject(errorFrom(message.error));
        else return;
        settle();
      };
      const onError = (error: Error) => {
        settle();
        reject(error);
      };
      const onExit = (code: number) => {
        settle();
        reject(new Error(`the database thread exited (code ${code}) while starting`));
      };
      worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    });
    return new PgliteThread(worker, options.onStatement);
  }

  query<T>(sql: string, params: unknown[] = [], options?: QueryOptions): Promise<Results<T>> {
    return this.#query<T>(sql, params, options, undefined);
  }

  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (tx: PgliteCalls) => Promise<T>): Promise<T> {
    const tx = (await this.#call({ kind: 'begin' })) as number;
    const calls: PgliteCalls = {
      query: (sql, params = [], options) => this.#query(sql, params, options, tx),
    };
    let result: T;
    try {
      result = await work(calls);
    } catch (error) {
      await this.#call({ kind: 'end', tx, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.#call({ kind: 'end', tx, commit: true });
    return result;
  }

  /** The whole data directory as an uncompressed tarball. */
  async dumpDataDir(): Promise<Blob> {
    return new Blob([(await this.#call({ kind: 'dump' })) as ArrayBuffer]);
  }

  async close(): Promise<void> {
    if (this.#stopped) return;
    await this.#call({ kind: 'close' });
    this.#stop(new Error('closed'));
  }

  /** `tx`: inside that open transaction. */
  #query<T>(sql: string, params: unknown[], options: QueryOptions | undefined, tx: number | undefined): Promise<Results<T>> {
    const passThrough = Object.keys(options?.parsers ?? {}).map(Number);
    const request: RequestBody = { kind: 'query', sql, params, rowMode: options?.rowMode ?? 'object', passThrough, ...(tx === undefined ? {} : { tx }) };
    return this.#call(request) as Promise<Results<T>>;
  }

  #call(request: RequestBody): Promise<Result> {
    // The message PGlite itself gives once closed, which the store reads as "database unavailable".
    if (this.#stopped) return Promise.reject(new Error(`PGlite is closed: ${this.#stopped.message}`));
    const id = ++this.#nextId;
    if (this.#pending.size === 0) this.worker.ref();
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  #answer(message: PgliteResponse): void {
    if (!('id' in message)) return;
    const waiting = this.#pending.get(message.id);
    if (!waiting) return;
    this.#pending.delete(message.id);
    if (this.#pending.size === 0) this.worker.unref();
    if (message.kind === 'error') return waiting.reject(errorFrom(message.error));
    if (message.ran && this.onStatement) this.onStatement({ start: message.ran[0] - performance.timeOrigin, end: message.ran[1] - performance.timeOrigin });
    waiting.resolve(message.result);
  }

  #stop(reason: Error): void {
    this.#stopped ??= reason;
    for (const { reject } of this.#pending.values()) reject(new Error(`PGlite is closed: ${reason.message}`));
    this.#pending.clear();
    this.worker.unref();
  }
}
