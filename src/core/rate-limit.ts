/** A token bucket per user: `perMinute` messages a minute, up to `burst` at once. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  readonly #perMs: number;

  constructor(
    private readonly perMinute: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.#perMs = perMinute / 60_000;
  }

  /** Takes one token; returns 0 when allowed, else the milliseconds until one is free. */
  take(user: string): number {
    const bucket = this.#refilled(user);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - bucket.tokens) / this.#perMs);
  }

  /** Gives back a token taken for a message that turned out to need no work (a duplicate). */
  refund(user: string): void {
    const bucket = this.#refilled(user);
    bucket.tokens = Math.min(this.burst, bucket.tokens + 1);
  }

  #refilled(user: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.#buckets.get(user);
    if (!bucket) {
      bucket = { tokens: this.burst, at: now };
      this.#buckets.set(user, bucket);
      this.#sweep(now);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + (now - bucket.at) * this.#perMs);
    bucket.at = now;
    return bucket;
  }

  /** Full buckets carry no state worth keeping; dropping them bounds memory by active users. */
  #sweep(now: number): void {
    if (this.#buckets.size < 10_000) return;
    const fullAfter = this.burst / this.#perMs;
    for (const [user, bucket] of this.#buckets) if (now - bucket.at >= fullAfter) this.#buckets.delete(user);
  }

  get limitText(): string {
    return `${this.perMinute} messages a minute`;
  }
}
