export interface WriteBatchOptions {
  /** Batches being written at once; more writes wait and join the next batch. */
  maxInFlight: number;
  /** Items per batch at most. */
  maxItems: number;
}

interface Waiting<In, Out> {
  item: In;
  resolve: (out: Out) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: the writes asked for in one turn of the event loop, and those asked for while
 * earlier batches are being written, go to the database together. A burst of messages then costs
 * a few statements and commits instead of one each; a lone write waits only for the turn to end.
 * (dataloader batches by tick too, but has no way to hold a batch back while others are in flight.)
 */
export class WriteBatch<In, Out> {
  readonly #waiting: Waiting<In, Out>[] = [];
  #inFlight = 0;
  #scheduled = false;

  /** `write` answers each item of a batch, in order. */
  constructor(
    private readonly write: (items: In[]) => Promise<Out[]>,
    private readonly options: WriteBatchOptions,
  ) {}

  add(item: In): Promise<Out> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ item, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.options.maxInFlight || this.#waiting.length === 0) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      this.#flush();
    });
  }

  #flush(): void {
    while (this.#inFlight < this.options.maxInFlight && this.#waiting.length > 0) {
      const batch = this.#waiting.splice(0, this.options.maxItems);
      this.#inFlight++;
      // What gathered while this batch was written goes as soon as it is done.
      void this.#run(batch).finally(() => {
        this.#inFlight--;
        this.#flush();
      });
    }
  }

  async #run(batch: Waiting<In, Out>[]): Promise<void> {
    try {
      const outs = await this.write(batch.map((entry) => entry.item));
      batch.forEach((entry, i) => {
        if (i < outs.length) entry.resolve(outs[i] as Out);
        else entry.reject(new Error(`a batched write answered ${outs.length} of ${batch.length} items`));
      });
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
