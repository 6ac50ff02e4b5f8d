import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { onCleanup } from './cleanup.js';

export interface Child {
  pid: number;
  /** performance.now() just before the spawn. */
  spawnedAt: number;
  /** The first stdout line that matches, with the time it arrived; rejects if the process exits first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<{ match: RegExpMatchArray; at: number }>;
  /** Every stdout line so far (for reading structured logs). */
  lines(): readonly string[];
  /** SIGTERM, then SIGKILL after a grace period; resolves when it has exited. */
  stop: () => Promise<void>;
}

const TAIL_LINES = 30;
const STOP_GRACE_MS = 5000;

/** Spawns a process whose undo (stop) is registered for clean-up. */
export function startChild(command: string, args: string[], env: Record<string, string>, label: string, cwd?: string): Child {
  const spawnedAt = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  const { pid } = child;
  if (pid === undefined) throw new Error(`could not start ${label}`);
  const lines: string[] = [];
  const recent: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (found: { match: RegExpMatchArray; at: number }) => void }> = [];
  const keep = (line: string): void => {
    recent.push(line);
    if (recent.length > TAIL_LINES) recent.shift();
  };
  createInterface({ input: child.stdout }).on('line', (line) => {
    const at = performance.now();
    lines.push(line);
    keep(line);
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(line);
      if (match) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve({ match, at });
      }
    }
  });
  createInterface({ input: child.stderr }).on('line', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Last resort if the benchmark itself dies without running its clean-up.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  void exited.then(() => process.off('exit', killOnExit));
  const stop = onCleanup(`stop ${label} (pid ${pid})`, () => stopProcess(child, exited));

  return {
    pid,
    spawnedAt,
    lines: () => lines,
    stop,
    waitForLine: (pattern, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${label}: no line matching ${String(pattern)} within ${timeoutMs} ms\n${recent.join('\n')}`)),
          timeoutMs,
        );
        const onExit = (code: number | null): void => {
          clearTimeout(timer);
          reject(new Error(`${label} exited (code ${String(code)}) before printing ${String(pattern)}\n${recent.join('\n')}`));
        };
        child.once('exit', onExit);
        waiters.push({
          pattern,
          resolve: (found) => {
            clearTimeout(timer);
            child.off('exit', onExit);
            resolve(found);
          },
        });
      }),
  };
}

async function stopProcess(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}
