import { reply, type FakeInference } from '../test/fakes/inference-server.js';
import { postMessage, postStreamed } from './routing-client.js';
import { QUESTION, STREAMED_PIECES } from './routing-messages.js';
import type { RoutingTarget } from './routing-target.js';

export interface MemorySettings {
  /** Streamed replies in all. */
  replies: number;
  /** Memory is sampled after every this many replies (and once before the first). */
  sampleEvery: number;
  /** Streams in flight at once, each worker on conversations of its own. */
  concurrency: number;
  conversations: number;
}

export interface MemorySample {
  replies: number;
  /** Seconds since the first streamed request. */
  seconds: number;
  memory: NodeJS.MemoryUsage;
}

export interface MemoryResult {
  samples: MemorySample[];
  failed: number;
  firstFailure: string | undefined;
}

const STREAMED_TEXT = STREAMED_PIECES.join('');

/** Figure 3: streamed replies in batches of `sampleEvery`, with the server's memory after a full GC between batches. */
export async function measureMemory(target: RoutingTarget, fake: FakeInference, settings: MemorySettings): Promise<MemoryResult> {
  const conversations: string[] = [];
  for (let i = 0; i < settings.conversations; i++) {
    conversations.push((await postMessage(target.baseUrl, { user: `stream-user-${i}`, text: QUESTION })).conversation);
  }
  fake.requests.splice(0);
  const started = performance.now();
  const samples: MemorySample[] = [{ replies: 0, seconds: 0, memory: await target.memory() }];
  let failed = 0;
  let firstFailure: string | undefined;
  for (let done = 0; done < settings.replies;) {
    const batch = Math.min(settings.sampleEvery, settings.replies - done);
    fake.script('chat', ...Array.from({ length: batch }, () => reply.chat(STREAMED_PIECES)));
    let next = 0;
    const worker = async (w: number): Promise<void> => {
      const own = conversations.filter((_, at) => at % settings.concurrency === w);
      for (let sent = 0; next < batch; sent++) {
        next++;
        try {
          const streamed = await postStreamed(target.baseUrl, { conversation: own[sent % own.length] ?? '', user: `stream-user-${w}`, text: QUESTION });
          if (streamed.deltas < 1 || streamed.text !== STREAMED_TEXT)
            throw new Error(`${streamed.deltas} deltas, reply ${JSON.stringify(streamed.text.slice(0, 200))}`);
        } catch (error) {
          failed++;
          firstFailure ??= error instanceof Error ? error.message : String(error);
        }
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, (_, w) => worker(w)));
    done += batch;
    // What the fake recorded is the parent's memory, not the server's, but it would grow without end.
    fake.requests.splice(0);
    samples.push({ replies: done, seconds: (performance.now() - started) / 1000, memory: await target.memory() });
  }
  return { samples, failed, firstFailure };
}
