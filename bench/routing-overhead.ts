import { reply, type FakeInference } from '../test/fakes/inference-server.js';
import { coveredWithin, type Interval } from './intervals.js';
import { spread, type Spread } from './load.js';
import { cpuMs } from './proc.js';
import { postMessage } from './routing-client.js';
import { MODEL_SUMMARY, QUESTION } from './routing-messages.js';
import type { RouterKind, RoutingTarget } from './routing-target.js';
import type { Recording } from './timing-recorder.js';
import { SUMMARIZE_TEXT } from './throughput.js';

export interface OverheadSettings {
  /** Measured messages per case, one at a time. */
  messages: number;
  /** Messages per case before measuring, so the server's code is compiled and its caches warm. */
  warmup: number;
  /** Conversations the messages go round; few enough that the warm-up fills their history to what the model router reads at most. */
  conversations: number;
  /** Where to write a CPU profile of the server during one more run of each case (not in the figures), or none. */
  cpuProfDir: string | undefined;
}

interface OverheadCase {
  name: string;
  text: string;
  /** Each message starts a conversation of its own, so the model router has no history to read or send. */
  alone?: boolean;
  /** Queues the fake's answers to one message. */
  script?: (fake: FakeInference) => void;
  expected: (text: string) => boolean;
  /** What the case runs, for the table's notes. */
  runs: string;
}

export interface OverheadResult {
  router: RouterKind;
  name: string;
  runs: string;
  messages: number;
  failed: number;
  firstFailure: string | undefined;
  /** Per message: server time, model time inside it, and the difference. */
  server: Spread;
  model: Spread;
  overhead: Spread;
  modelCallsPerMessage: number;
  /** Time PGlite's statements ran in the database thread per message (part of the overhead), and how many. */
  database: Spread;
  databaseCallsPerMessage: number;
  /** Bytes of model request bodies per message (the chat request carries the history). */
  modelRequestBytes: Spread;
  /** Model calls that started outside every timed message: they would have gone uncounted (expected 0). */
  strayModelCalls: number;
  serverCpuMsPerMessage: number | undefined;
  client: Spread;
  profileFile?: string;
}

const SUMMARIZE_BODY = SUMMARIZE_TEXT.slice(SUMMARIZE_TEXT.indexOf(':') + 1).trim();

const CASES: Record<RouterKind, OverheadCase[]> = {
  model: [
    {
      name: 'direct answer',
      text: QUESTION,
      expected: (text) => text.startsWith('echo: '),
      runs: '1 chat call (the fake answers text: "echo: …"), with the conversation so far',
    },
    {
      name: 'direct, new conversation',
      text: QUESTION,
      alone: true,
      expected: (text) => text.startsWith('echo: '),
      runs: 'as "direct answer", but each message starts a conversation: no history to read or send',
    },
    {
      name: 'summarize tool',
      text: SUMMARIZE_TEXT,
      script: (fake) => fake.script('chat', reply.toolCall('summarize', { text: SUMMARIZE_BODY }), reply.text(MODEL_SUMMARY)),
      expected: (text) => text === MODEL_SUMMARY,
      runs: '2 chat calls: route (calls summarize), then the summary',
    },
  ],
  keywords: [
    { name: 'direct answer', text: QUESTION, expected: (text) => text.includes('/summarize'), runs: 'no keyword: the help tool answers' },
    {
      name: 'direct, new conversation',
      text: QUESTION,
      alone: true,
      expected: (text) => text.includes('/summarize'),
      runs: 'as "direct answer", each message in a conversation of its own',
    },
    { name: 'summarize tool', text: SUMMARIZE_TEXT, expected: (text) => text.startsWith('- '), runs: '"summarize:" keyword: local extractive summary' },
  ],
};

/** Figure 1: each case's messages one at a time through POST /api/messages, timed at the server. */
export async function measureOverhead(target: RoutingTarget, router: RouterKind, fake: FakeInference, settings: OverheadSettings): Promise<OverheadResult[]> {
  const conversations: string[] = [];
  for (let i = 0; i < settings.conversations; i++) {
    const answered = await postMessage(target.baseUrl, { user: userOf(i), text: QUESTION });
    if (answered.status !== 200 || !answered.conversation) throw new Error(`could not start a conversation (${answered.status})`);
    conversations.push(answered.conversation);
  }
  const results: OverheadResult[] = [];
  for (const kase of CASES[router]) {
    await send(target, fake, kase, conversations, settings.warmup);
    await target.startTimings();
    const cpuBefore = await cpuMs(target.pid);
    const sent = await send(target, fake, kase, conversations, settings.messages);
    const cpuAfter = await cpuMs(target.pid);
    const recording = await target.takeTimings();
    const cpu = cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / settings.messages;
    const result: OverheadResult = { router, name: kase.name, runs: kase.runs, ...sent, ...split(recording), serverCpuMsPerMessage: cpu };
    if (settings.cpuProfDir) {
      // A run of its own, so that the profiler's cost stays out of the figures above.
      const name = `routing-${router}-${kase.name.replace(/\W+/g, '-')}`;
      result.profileFile = await target.profile(name, () => send(target, fake, kase, conversations, settings.messages));
    }
    results.push(result);
    fake.requests.splice(0);
  }
  return results;
}

async function send(
  target: RoutingTarget,
  fake: FakeInference,
  kase: OverheadCase,
  conversations: string[],
  count: number,
): Promise<{ messages: number; failed: number; firstFailure: string | undefined; client: Spread }> {
  const client: number[] = [];
  let failed = 0;
  let firstFailure: string | undefined;
  for (let i = 0; i < count; i++) {
    kase.script?.(fake);
    const conversation = kase.alone ? {} : { conversation: conversations[i % conversations.length] ?? '' };
    const answered = await postMessage(target.baseUrl, { ...conversation, user: userOf(i), text: kase.text });
    client.push(answered.ms);
    if (answered.status !== 200 || !kase.expected(answered.text)) {
      failed++;
      firstFailure ??= `${answered.status}: ${answered.text.slice(0, 200)}`;
    }
  }
  return { messages: count, failed, firstFailure, client: spread(client) };
}

/** Server time per message, the model time inside it (overlapping calls counted once), and the rest. */
function split(
  recording: Recording,
): Pick<
  OverheadResult,
  'server' | 'model' | 'overhead' | 'modelCallsPerMessage' | 'strayModelCalls' | 'database' | 'databaseCallsPerMessage' | 'modelRequestBytes'
> {
  // One message at a time: what started while a message was at the server was done for it.
  const requests = recording.requests.filter((request) => request.status === 200);
  const inside = (call: Interval, request: Interval) => call.start >= request.start && call.start <= request.end;
  const server = requests.map((request) => request.end - request.start);
  const model = requests.map((request) => coveredWithin(recording.modelCalls, request));
  const attributed = recording.modelCalls.filter((call) => requests.some((request) => inside(call, request)));
  const bytes = requests.map((request) => attributed.filter((call) => inside(call, request)).reduce((sum, call) => sum + call.requestBytes, 0));
  const databaseCalls = recording.databaseCalls.filter((call) => requests.some((request) => inside(call, request))).length;
  const perMessage = (count: number) => (requests.length ? count / requests.length : Number.NaN);
  return {
    server: spread(server),
    model: spread(model),
    overhead: spread(server.map((total, i) => total - (model[i] ?? 0))),
    modelCallsPerMessage: perMessage(attributed.length),
    strayModelCalls: recording.modelCalls.length - attributed.length,
    database: spread(requests.map((request) => coveredWithin(recording.databaseCalls, request))),
    databaseCallsPerMessage: perMessage(databaseCalls),
    modelRequestBytes: spread(bytes),
  };
}

const userOf = (i: number): string => `bench-user-${i % 8}`;
