/**
 * Everything the benchmark creates (child processes, temp dirs, databases) registers its undo
 * here; `cleanUp` runs them newest first, on success, on failure and on Ctrl-C alike.
 */
type Undo = { what: string; run: () => Promise<void> | void };

const pending: Undo[] = [];

/** Registers an undo; the returned function runs it early (and only once). */
export function onCleanup(what: string, run: () => Promise<void> | void): () => Promise<void> {
  const undo: Undo = { what, run };
  pending.push(undo);
  return async () => {
    const index = pending.indexOf(undo);
    if (index === -1) return;
    pending.splice(index, 1);
    await undo.run();
  };
}

export async function cleanUp(): Promise<void> {
  while (pending.length) {
    const undo = pending.pop();
    if (!undo) break;
    try {
      await undo.run();
    } catch (error) {
      console.error(`cleanup failed: ${undo.what}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Ctrl-C or a kill still removes what was made, then exits with the usual signal status. */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: cleaning up…`);
      void cleanUp().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    });
  }
}
