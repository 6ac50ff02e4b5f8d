import type { IncomingMessage, ServerResponse } from 'node:http';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Interval } from './intervals.js';

/** One timed HTTP request, on the server's performance.now() clock. */
export interface RequestTiming extends Interval {
  path: string;
  status: number;
  /** The event loop's idle time so far (ms) at `start`: the difference between two such marks says how long it waited for work in between. */
  idleAtStart: number;
}

/** A model HTTP call: from fetch() until its body was read to the end (or, for a stream, its last chunk read). */
export interface ModelCall extends Interval {
  /** Size of the request body: the chat request grows with the history sent along. */
  requestBytes: number;
  idleAtStart: number;
}

/** What was recorded between `start` and `take`. */
export interface Recording {
  requests: RequestTiming[];
  modelCalls: ModelCall[];
  /** PGlite statements, as they ran in its thread (openPglite's onStatement); none on a Postgres server. */
  databaseCalls: Interval[];
  /** TCP connections the server accepted meanwhile. */
  connections: number;
}

type Listener = (req: IncomingMessage, res: ServerResponse) => unknown;

const TAKE_WAIT_MS = 2000;

/**
 * Times requests at the server (listener entered -> last byte handed to the socket) and the model
 * calls they make, while recording is on. Off, both wrappers pass straight through, so the
 * memory run measures the app and not this.
 */
export class TimingRecorder {
  #recording = false;
  #requests: RequestTiming[] = [];
  #modelCalls: ModelCall[] = [];
  #databaseCalls: Interval[] = [];
  #connections = 0;
  /** Timed requests not finished yet: `take` waits for them, as the client can see a response before 'finish' runs here. */
  #open = 0;

  constructor(private readonly timed: (path: string) => boolean) {}

  start(): void {
    this.#recording = true;
    this.#requests = [];
    this.#modelCalls = [];
    this.#databaseCalls = [];
    this.#connections = 0;
  }

  async take(): Promise<Recording> {
    const until = performance.now() + TAKE_WAIT_MS;
    while (this.#open > 0 && performance.now() < until) await nextTurn();
    this.#recording = false;
    return { requests: this.#requests, modelCalls: this.#modelCalls, databaseCalls: this.#databaseCalls, connections: this.#connections };
  }

  databaseCall(call: Interval): void {
    if (this.#recording) this.#databaseCalls.push(call);
  }

  countConnection(): void {
    if (this.#recording) this.#connections++;
  }

  /** Wraps the HTTP server's request listener. */
  listener(inner: Listener): Listener {
    return (req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      if (!this.#recording || !this.timed(path)) return inner(req, res);
      const timing: RequestTiming = { path, start: performance.now(), end: Number.NaN, status: 0, idleAtStart: idleSoFar() };
      this.#open++;
      const done = (): void => {
        timing.end = performance.now();
        timing.status = res.statusCode;
        this.#requests.push(timing);
        this.#open--;
      };
      res.once('finish', done);
      // A client that goes away before the end still closes the request's span.
      res.once('close', () => {
        if (Number.isNaN(timing.end)) done();
      });
      return inner(req, res);
    };
  }

  /** Wraps the fetch the model clients get. */
  fetch(base: typeof fetch): typeof fetch {
    return async (input, init) => {
      if (!this.#recording) return base(input, init);
      const requestBytes = typeof init?.body === 'string' ? Buffer.byteLength(init.body) : 0;
      const call: ModelCall = { start: performance.now(), end: Number.NaN, requestBytes, idleAtStart: idleSoFar() };
      this.#modelCalls.push(call);
      try {
        const response = await base(input, init);
        call.end = performance.now();
        if (!response.body || [204, 205, 304].includes(response.status)) return response;
        // A stream is timed chunk by chunk, as the client reads it. A whole answer is passed on as it
        // came, ended when its head arrived: the fake's small JSON body comes with it, and reading it
        // is the app's work (counted as overhead). Re-wrapping it cost the server more than the read.
        if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return response;
        const head = { status: response.status, statusText: response.statusText, headers: response.headers };
        return new Response(timedStream(response.body, call), head);
      } catch (error) {
        call.end = performance.now();
        throw error;
      }
    };
  }
}

const idleSoFar = (): number => performance.eventLoopUtilization().idle;

/** The same bytes; each chunk read moves the call's end. */
function timedStream(body: ReadableStream<Uint8Array>, call: Interval): ReadableStream<Uint8Array> {
  const reader = body.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      call.end = performance.now();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      call.end = performance.now();
      return reader.cancel(reason);
    },
  });
}
