import { numberEnv } from './env.js';
import { GOALS } from './goals.js';
import type { RoutingSettings } from './routing.js';

/**
 * The routing figures' sizes, from the environment:
 *   BENCH_ROUTING_MESSAGES=1000   measured messages per routing-overhead case (BENCH_ROUTING_WARMUP=300 before them)
 *   BENCH_BURST_ROUNDS=3          measured bursts of 100 concurrent requests, after a cold one
 *   BENCH_STREAMS=10000           streamed replies of the memory run, sampled every tenth of them
 *   BENCH_STREAM_CONCURRENCY=4    streams in flight at once in the memory run
 */
export function routingSettings(cpuProfDir: string | undefined, postgresAdminUrl: string | undefined): RoutingSettings {
  const replies = Math.round(numberEnv('BENCH_STREAMS', GOALS.streamedReplies));
  const concurrency = Math.round(numberEnv('BENCH_STREAM_CONCURRENCY', 4));
  return {
    overhead: {
      messages: Math.round(numberEnv('BENCH_ROUTING_MESSAGES', 1000)),
      warmup: Math.round(numberEnv('BENCH_ROUTING_WARMUP', 300)),
      // Few, so that the warm-up fills each to the history cap the model router reads (about 140 short messages).
      conversations: 4,
      cpuProfDir,
    },
    burst: { requests: GOALS.burstRequests, modelDelayMs: GOALS.burstModelDelayMs, rounds: Math.round(numberEnv('BENCH_BURST_ROUNDS', 3)), cpuProfDir },
    memory: { replies, sampleEvery: Math.max(1, Math.ceil(replies / 10)), concurrency, conversations: Math.max(32, concurrency) },
    postgresAdminUrl,
  };
}
