import { PGlite } from '@electric-sql/pglite';
import type { Interval } from './intervals.js';

type Exclusive = (work: () => Promise<unknown>) => Promise<unknown>;

/**
 * Times every PGlite query and exec: each runs under PGlite's query lock, through `_runExclusiveQuery`,
 * and there spends its time running the WebAssembly Postgres synchronously on the event loop and
 * turning the result into rows. Timed from when the lock is held, so waiting for it is not counted;
 * drizzle's own work around the query is not in it either. Patched on the prototype, in the
 * benchmark's server only, so the app's code stays as it is.
 */
export function timePglite(record: (call: Interval) => void, active: () => boolean): void {
  const prototype = PGlite.prototype as unknown as { _runExclusiveQuery: Exclusive };
  const original = prototype._runExclusiveQuery;
  prototype._runExclusiveQuery = function (this: unknown, work) {
    if (!active()) return original.call(this, work);
    return original.call(this, async () => {
      const start = performance.now();
      try {
        return await work();
      } finally {
        record({ start, end: performance.now() });
      }
    });
  };
}
