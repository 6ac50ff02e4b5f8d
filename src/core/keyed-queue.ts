/**
 * Runs tasks one at a time per key, in arrival order, so that two messages in one conversation
 * are stored and answered in the order they came; different keys run side by side.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, { tail: Promise<unknown>; waiting: number }>();

  /** How many tasks are queued or running for this key. */
  depth(key: string): number {
    return this.#tails.get(key)?.waiting ?? 0;
  }

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const entry = this.#tails.get(key) ?? { tail: Promise.resolve(), waiting: 0 };
    entry.waiting++;
    const result = entry.tail.then(task);
    entry.tail = result.then(
      () => this.#settle(key, entry),
      () => this.#settle(key, entry),
    );
    this.#tails.set(key, entry);
    return result;
  }

  #settle(key: string, entry: { waiting: number }): void {
    entry.waiting--;
    if (entry.waiting === 0) this.#tails.delete(key);
  }
}
