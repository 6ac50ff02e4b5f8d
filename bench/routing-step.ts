import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import type { Inbound } from '../src/core/message.js';
import { ModelRouter } from '../src/core/model-router.js';
import { ToolRegistry } from '../src/core/registry.js';
import { createModels } from '../src/models/index.js';
import { HistoryStore } from '../src/store/history-store.js';
import { openPglite } from '../src/store/pglite.js';
import { builtinTools } from '../src/tools/index.js';
import type { FakeInference } from '../test/fakes/inference-server.js';
import { silentLog } from '../test/support/log.js';
import { onCleanup } from './cleanup.js';
import { GOALS } from './goals.js';
import { spread, type Spread } from './load.js';
import { BENCH_HF_TOKEN } from './routing-messages.js';
import { fixed, mark, table } from './table.js';

export interface StepSettings {
  messages: number;
  warmup: number;
  /** Messages already in the conversation: the router reads and sends up to 40. */
  historyMessages: number;
}

export interface StepResult {
  overhead: Spread;
  history: Spread;
  rest: Spread;
}

/**
 * The routing step alone, in this process: ModelRouter.route() as the pipeline calls it, on
 * PGlite, against the fake model, with the model's HTTP time (from fetch to the last byte read)
 * taken out; the history read is timed on its own as well.
 */
export async function measureRouterStep(fake: FakeInference, settings: StepSettings): Promise<StepResult> {
  const dir = await mkdtemp(join(tmpdir(), 'assistant-bench-step-'));
  const removeDir = onCleanup(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  const database = await openPglite({ dataDir: join(dir, 'pgdata') });
  let modelMs = 0;
  let historyMs = 0;
  const timedFetch: typeof fetch = async (input, init) => {
    const started = performance.now();
    const response = await fake.hostedFetch(input, init);
    const body = await response.arrayBuffer();
    modelMs += performance.now() - started;
    return new Response(body, { status: response.status, headers: response.headers });
  };
  const { models } = createModels(loadConfig({ HF_TOKEN: BENCH_HF_TOKEN }), silentLog, timedFetch);
  try {
    const store = new HistoryStore(database);
    const timedHistory = {
      recent: async (...args: Parameters<HistoryStore['recent']>) => {
        const started = performance.now();
        const rows = await store.recent(...args);
        historyMs += performance.now() - started;
        return rows;
      },
    };
    const router = new ModelRouter(new ToolRegistry(builtinTools({ historyChars: 12_000 })), models, timedHistory, {
      historyChars: 12_000,
      botName: 'Assistant',
    });
    let sequence = 0;
    const inbound = (): Inbound => ({
      eventId: `step:${sequence++}`,
      conversation: { platform: 'web', key: 'web:step' },
      user: { id: 'web:ann', name: 'Ann' },
      text: 'When is the launch, and who is writing the release notes?',
      attachments: [],
      receivedAt: new Date(),
    });
    for (let i = 0; i < settings.historyMessages / 2; i++) {
      const record = await store.recordInbound(inbound());
      if (record.status !== 'new') throw new Error('seeding failed');
      await store.recordOutbound({
        conversation: 'web:step',
        replyTo: record.messageId,
        replies: [{ type: 'text', text: 'On Friday; Bob writes the notes.' }],
        runs: [],
      });
    }
    const overhead: number[] = [];
    const history: number[] = [];
    const rest: number[] = [];
    const signal = new AbortController().signal;
    for (let i = 0; i < settings.warmup + settings.messages; i++) {
      const message = inbound();
      const record = await store.recordInbound(message);
      if (record.status !== 'new') throw new Error('duplicate event');
      modelMs = 0;
      historyMs = 0;
      const started = performance.now();
      await router.route(message, { messageId: record.messageId, signal });
      const total = performance.now() - started;
      if (i < settings.warmup) continue;
      overhead.push(total - modelMs);
      history.push(historyMs);
      rest.push(total - modelMs - historyMs);
    }
    return { overhead: spread(overhead), history: spread(history), rest: spread(rest) };
  } finally {
    await models.close();
    await database.close();
    await removeDir();
  }
}

export function stepTable(result: StepResult): string {
  const row = (name: string, value: Spread) => [name, fixed(value.p50, 3), fixed(value.p90, 3), fixed(value.p99, 3)];
  return table(
    ['part of the router step', 'p50 ms', 'p90 ms', 'p99 ms'],
    [row('all of it, model time taken out', result.overhead), row('  reading the history', result.history), row('  the rest', result.rest)],
    'lrrr',
  );
}

export function stepGoalLine(result: StepResult): string {
  return `${mark(result.overhead.p99 <= GOALS.maxRoutingP99OverheadMs)} router step overhead p99 <= ${GOALS.maxRoutingP99OverheadMs} ms: ${fixed(result.overhead.p99, 3)} ms (p50 ${fixed(result.overhead.p50, 3)} ms)`;
}
