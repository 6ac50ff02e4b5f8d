import { untilAborted } from './abort.js';
import { StoreUnavailableError, UserError, errorRef, internalErrorText } from './errors.js';
import type { History, ToolRunRecord } from './history.js';
import type { Log } from './log.js';
import type { Inbound, Reply } from './message.js';
import type { Models, Served } from './models.js';
import type { Router } from './router.js';

export interface AnswerDeps {
  router: Router;
  history: History;
  models: Models;
  log: Log;
  toolTimeoutMs: number;
  now: () => number;
}

export interface Answer {
  replies: Reply[];
  /** The model call that routed the message (if a model did), then the tool run or direct answer. */
  runs: ToolRunRecord[];
  /** False when the tool deleted the message the replies would answer. */
  keep: boolean;
}

/** Names of runs that are not tools; parentheses keep them apart from tool names. */
export const ROUTE_RUN = '(route)';
export const ANSWER_RUN = '(answer)';

const MAX_RECORDED_INPUT_CHARS = 1000;

/**
 * Routes a stored message and runs what it asks for, under one deadline. Whatever fails becomes a
 * reply: a UserError's own text, anything else a generic text with a reference to the log line.
 * Only a database outage is thrown, as nothing can be stored then.
 */
export async function answer(inbound: Inbound, messageId: string, deps: AnswerDeps, onText?: (delta: string) => void): Promise<Answer> {
  const { router, history, models, log, now } = deps;
  // Not AbortSignal.timeout(): its timer and signal would outlive every message by the whole
  // timeout, and thousands of them surviving each young-generation GC made those GCs slow.
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), deps.toolTimeoutMs);
  const { signal } = deadline;
  const runs: ToolRunRecord[] = [];
  let stage: { name: string; input: Record<string, unknown>; started: number } = { name: ROUTE_RUN, input: {}, started: now() };
  try {
    const routed = await withinDeadline(router.route(inbound, { messageId, signal, ...(onText ? { onText } : {}) }), signal);
    if (routed.kind === 'answer') {
      runs.push(record({ ...stage, name: ANSWER_RUN }, now(), routed.served, 'ok', null));
      return { replies: [{ type: 'text', text: routed.text }], runs, keep: true };
    }
    if (routed.routedBy) runs.push(record({ ...stage, input: { tool: routed.tool.name } }, now(), routed.routedBy, 'ok', null));
    stage = { name: routed.tool.name, input: routed.input, started: now() };
    const context = { inbound, messageId, history, models, log, signal, ...(onText ? { onText } : {}) };
    const output = await withinDeadline(routed.tool.run(routed.input, context), signal);
    runs.push(record(stage, now(), output, 'ok', null));
    return { replies: output.replies, runs, keep: output.keep ?? true };
  } catch (error) {
    if (error instanceof StoreUnavailableError) throw error;
    const where = { conversation: inbound.conversation.key, user: inbound.user.id, stage: stage.name, messageId };
    if (error instanceof UserError) {
      log.info({ ...where, code: error.code, detail: error.detail }, 'user error');
      runs.push(record(stage, now(), undefined, 'user_error', error.code));
      return { replies: [{ type: 'text', text: error.message }], runs, keep: true };
    }
    const ref = errorRef();
    log.error({ ...where, ref, err: error }, 'tool failed');
    runs.push(record(stage, now(), undefined, 'error', 'internal'));
    return { replies: [{ type: 'text', text: internalErrorText(ref) }], runs, keep: true };
  } finally {
    clearTimeout(timer);
  }
}

function record(
  stage: { name: string; input: Record<string, unknown>; started: number },
  ended: number,
  served: Partial<Served> | undefined,
  outcome: ToolRunRecord['outcome'],
  errorCode: string | null,
): ToolRunRecord {
  return {
    tool: stage.name,
    input: truncateStrings(stage.input),
    provider: served?.provider ?? null,
    model: served?.model ?? null,
    latencyMs: Math.round(ended - stage.started),
    tokensIn: served?.usage?.inputTokens ?? null,
    tokensOut: served?.usage?.outputTokens ?? null,
    outcome,
    errorCode,
  };
}

/** The tool's outcome, or the timeout as the user hears it. */
function withinDeadline<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return untilAborted(
    work,
    signal,
    () => new UserError('timeout', 'That took too long, so I stopped. Try a shorter input or try again later.', { cause: signal.reason }),
  );
}

function truncateStrings(input: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key,
      typeof value === 'string' && value.length > MAX_RECORDED_INPUT_CHARS ? `${value.slice(0, MAX_RECORDED_INPUT_CHARS)}…` : value,
    ]),
  );
}
