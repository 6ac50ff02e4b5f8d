import { UserError } from '../../core/errors.js';
import { addUsage, type ChatMessage, type Models, type Served, type Usage } from '../../core/models.js';
import { isObject } from './json-data.js';
import { LIMITS } from './limits.js';
import type { Spec } from './spec-shape.js';

/** The current chart's rows stay here; the model sees a sample and writes this name in their place. */
const KEPT_DATA = 'current';
const SAMPLE_ROWS = 10;
/** Room for a spec with a few hundred inline rows. */
const MAX_TOKENS = 8_000;

const SYSTEM =
  'You write Vega-Lite 6 specs for a chat bot that renders them to PNG. Reply with the JSON spec only, no prose; a ```json fence is fine. ' +
  `Put all data inline in data.values (at most ${LIMITS.rows} rows); never use "url", image marks or "href". ` +
  'Use figures you are confident of, and say "approximate" in the title when they are. Give it a title, width 600 and height 360; no interactive params.';

export interface SpecRequest {
  /** What the user asked, in their words. */
  request: string;
  /** The conversation's last chart, when there is one: the request may change it. */
  current?: Spec;
}

/** A problem with a spec that the model can fix: bad JSON, or a spec the sandbox or Vega-Lite refused. */
const isSpecProblem = (error: unknown): error is UserError => error instanceof UserError && (error.code === 'invalid_input' || error.code === 'too_much_data');

/**
 * Asks the chat model for a Vega-Lite spec: a new chart from a description, or a change to the
 * current one. `draw` validates and renders it; a spec that fails (unparsable JSON, refused by the
 * sandbox, invalid for Vega-Lite) is sent back once with the reason, as the model router does with
 * bad tool arguments.
 */
export async function specFromModel<T>(
  models: Models,
  input: SpecRequest,
  signal: AbortSignal,
  draw: (spec: Spec) => Promise<T>,
): Promise<{ result: T; served: Served }> {
  const messages = promptFor(input);
  let served: Served | undefined;
  let usage: Usage | undefined;
  let problem = '';
  for (let attempt = 0; attempt < 2; attempt++) {
    const answer = await models.chat({ messages, maxTokens: MAX_TOKENS, temperature: 0 }, { signal });
    usage = addUsage(usage, answer.usage);
    served = { provider: answer.provider, model: answer.model, ...(usage ? { usage } : {}) };
    try {
      const spec = restoreData(parseSpec(answer.text), input.current);
      return { result: await draw(spec), served };
    } catch (error) {
      if (!isSpecProblem(error)) throw error;
      problem = error.message;
      messages.push(
        { role: 'assistant', content: answer.text },
        { role: 'user', content: `That spec can't be used: ${problem} Reply with the corrected, complete spec as JSON only.` },
      );
    }
  }
  throw new UserError(
    'invalid_input',
    `The chat model didn't manage a chart I can draw (${problem.replace(/\.$/, '')}). Try describing it differently, or send the data itself.`,
    {
      detail: { served },
    },
  );
}

function promptFor({ request, current }: SpecRequest): ChatMessage[] {
  if (!current)
    return [
      { role: 'system', content: SYSTEM },
      { role: 'user', content: request },
    ];
  const { spec, sample } = elideData(current);
  const context =
    `The current chart is this spec:\n\`\`\`json\n${JSON.stringify(spec)}\n\`\`\`\n` +
    (sample
      ? `Its data (${sample.count} rows) is kept by the bot; leave "data": {"name": "${KEPT_DATA}"} as it is. The first rows: ${JSON.stringify(sample.rows)}\n`
      : '') +
    'Change it as the user asks and reply with the complete changed spec; if they ask for a different chart altogether, write a new one.';
  return [
    { role: 'system', content: `${SYSTEM}\n\n${context}` },
    { role: 'user', content: request },
  ];
}

function elideData(spec: Spec): { spec: Spec; sample?: { rows: unknown[]; count: number } } {
  const data = spec['data'];
  const values = isObject(data) ? data['values'] : undefined;
  if (!Array.isArray(values)) return { spec };
  return { spec: { ...spec, data: { name: KEPT_DATA } }, sample: { rows: values.slice(0, SAMPLE_ROWS), count: values.length } };
}

/** Puts the kept rows back where the model left the placeholder. */
function restoreData(spec: Spec, current: Spec | undefined): Spec {
  const data = spec['data'];
  if (current && isObject(data) && data['name'] === KEPT_DATA) return { ...spec, data: current['data'] };
  return spec;
}

/** The JSON of an answer: a ```json fence, or the outermost braces of the text. */
function parseSpec(text: string): Spec {
  const fenced = /```(?:json)?\s*\n?([\s\S]*?)```/i.exec(text)?.[1];
  const body = fenced ?? text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw new UserError('invalid_input', `The answer is not valid JSON (${error instanceof Error ? error.message : 'it does not parse'}).`);
  }
  if (!isObject(parsed)) throw new UserError('invalid_input', 'The answer is not a JSON object.');
  return parsed;
}
