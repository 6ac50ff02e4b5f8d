/**
 * AbortSignal.any without its leak on Node 20, where a long-lived signal keeps a record (about 60
 * bytes) of every signal ever combined with it. unlink() detaches from the sources.
 */
export function linkedSignal(sources: readonly AbortSignal[]): { signal: AbortSignal; unlink: () => void } {
  const controller = new AbortController();
  const unlinks = sources.map((source) => {
    const onAbort = (): void => controller.abort(source.reason);
    if (source.aborted) onAbort();
    else source.addEventListener('abort', onAbort, { once: true });
    return () => source.removeEventListener('abort', onAbort);
  });
  return { signal: controller.signal, unlink: () => unlinks.forEach((unlink) => unlink()) };
}

/** The outcome of work, or `reason()` (the signal's reason unless given) as soon as it aborts; the work itself goes on. */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal, reason: () => Error = () => signal.reason as Error): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(reason());
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
