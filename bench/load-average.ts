import { availableParallelism, loadavg } from 'node:os';
import { fixed } from './table.js';

/** Other work on the machine skews every figure; the load average says whether there was any. */
export function loadLine(when: string): string {
  const [one, five] = loadavg();
  const busy = (one ?? 0) > 0.5 ? '  (other processes are using the CPU: wall-clock figures will be pessimistic)' : '';
  return `Load average ${when}: ${fixed(one ?? Number.NaN, 2)} (1 min), ${fixed(five ?? Number.NaN, 2)} (5 min) on ${availableParallelism()} cores${busy}`;
}
