import autocannon from 'autocannon';

export interface LoadOptions {
  baseUrl: string;
  path: string;
  connections: number;
  seconds: number;
  /** Conversation ids; each connection owns a disjoint share, so no two connections wait on one conversation. */
  conversations: string[];
  text: string;
}

export interface LoadResult {
  /** 2xx answers per second. */
  perSecond: number;
  /** Exact percentiles (ms) of the 2xx answers; autocannon's own histogram rounds to whole ms. */
  p50: number;
  p99: number;
  ok: number;
  /** Non-2xx answers, socket errors and timeouts. */
  failed: number;
}

/** Drives one route with autocannon and keeps every 2xx latency. */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const { connections, conversations } = options;
  if (connections > conversations.length) throw new Error(`need at least ${connections} conversations, have ${conversations.length}`);
  let nextClient = 0;
  const latencies: number[] = [];
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.baseUrl,
        connections,
        duration: options.seconds,
        timeout: 30,
        setupClient: (client) => {
          const index = nextClient++ % connections;
          const owned = conversations.filter((_, at) => at % connections === index);
          client.setRequests(
            owned.map((conversation) => ({
              method: 'POST',
              path: options.path,
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ conversation, user: `bench-${index}`, text: options.text }),
            })),
          );
        },
      },
      (error, result) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result)),
    );
  });
  instance?.on('response', (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await finished;
  latencies.sort((a, b) => a - b);
  return {
    perSecond: result['2xx'] / result.duration,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    ok: result['2xx'],
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

export interface Spread {
  p50: number;
  p90: number;
  p99: number;
}

/** Nearest-rank p50, p90 and p99 of values in any order. */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99) };
}

/** Nearest-rank percentile of sorted values; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}
