import { attachmentKind } from '../../core/attachments.js';
import { parseSlashText } from '../../core/command.js';
import { UserError } from '../../core/errors.js';
import type { Served } from '../../core/models.js';
import type { ToolContext, ToolOutput } from '../../core/tool.js';
import { altText } from './alt-text.js';
import { buildSpec } from './build-spec.js';
import { columnsNamed } from './column-words.js';
import { applyOptions, hasEdit } from './edit-spec.js';
import { readDataFile } from './file-data.js';
import { specFromModel } from './model-spec.js';
import { onlyFiller, readOptions, TYPE_NAMES, type ChartOptions } from './options.js';
import { plotData } from './plot-data.js';
import { chartRenderer, type RenderedChart } from './render.js';
import { sandboxSpec } from './sandbox.js';
import type { Spec } from './spec-shape.js';
import { typeTable } from './table.js';
import { findData, type FoundData } from './text-data.js';

export interface ChartInput extends Omit<ChartOptions, 'type'> {
  data?: string | undefined;
  type?: string | undefined;
}

interface Drawn extends RenderedChart {
  spec: Spec;
}

const DATA_HINT = 'a table, a CSV/TSV/JSON file, or pairs like “apples 3, pears 5”';

/**
 * One chart request: data from an attached file or the text (drawn by rules), else a change to the
 * conversation's last chart (built-in edits, or the chat model for others), else a description the
 * chat model turns into a spec. Every spec passes the sandbox before it is drawn, and the drawn
 * spec is stored so that the next request can change it.
 */
export async function answerChart(input: ChartInput, ctx: ToolContext): Promise<ToolOutput> {
  const text = requestText(input, ctx);
  const file = ctx.inbound.attachments.find((attachment) => attachmentKind(attachment.mime, attachment.name) === 'table');
  const found: FoundData = file ? { source: await readDataFile(file), words: text } : findData(text);
  const { options: said, rest } = readOptions(found.words);
  const options: ChartOptions = { ...said, ...explicitOptions(input) };
  const draw = (spec: Spec) => drawSpec(spec, ctx.signal);

  if (found.source) {
    if ('spec' in found.source) return reply(await draw(applyOptions(found.source.spec, options)), ctx);
    const table = typeTable(found.source.table);
    const withColumns = { ...columnsNamed(rest, table), ...options };
    return reply(await draw(buildSpec(plotData(table, withColumns), withColumns)), ctx);
  }
  const last = await ctx.history.lastChart(ctx.inbound.conversation.key);
  if (onlyFiller(rest)) {
    if (!hasEdit(options)) throw new UserError('nothing_to_chart', `Send me data to chart: ${DATA_HINT}. Or describe the chart you want.`);
    if (!last) throw new UserError('nothing_to_chart', `There's no earlier chart in this conversation to change. Send me data to chart first: ${DATA_HINT}.`);
    return reply(await draw(applyOptions(last.spec, options)), ctx);
  }
  if (!ctx.models.has('chat')) throw noModel(Boolean(last));
  const { result, served } = await specFromModel(ctx.models, { request: text, ...(last ? { current: last.spec } : {}) }, ctx.signal, draw);
  return reply(result, ctx, served);
}

/** The command's text, or for free text the whole message: its words around the keyword are the request. */
function requestText(input: ChartInput, ctx: ToolContext): string {
  if (input.data !== undefined) return input.data;
  return ctx.inbound.command || parseSlashText(ctx.inbound.text) ? '' : ctx.inbound.text;
}

function explicitOptions(input: ChartInput): ChartOptions {
  const { type, title, x, y, aggregate, sort, scale } = input;
  const given = { type: type ? TYPE_NAMES[type] : undefined, title, x, y, aggregate, sort, scale };
  return Object.fromEntries(Object.entries(given).filter(([, value]) => value !== undefined));
}

async function drawSpec(spec: Spec, signal: AbortSignal): Promise<Drawn> {
  const safe = sandboxSpec(spec);
  return { ...(await chartRenderer.render(safe, signal)), spec: safe };
}

async function reply(drawn: Drawn, ctx: ToolContext, served?: Served): Promise<ToolOutput> {
  await ctx.history.saveChart({ conversation: ctx.inbound.conversation.key, messageId: ctx.messageId, spec: drawn.spec });
  return {
    replies: [{ type: 'image', name: 'chart.png', mime: 'image/png', alt: altText(drawn.spec), bytes: drawn.png }],
    provider: served?.provider ?? 'local',
    model: served?.model ?? 'vega-lite',
    ...(served?.usage ? { usage: served.usage } : {}),
  };
}

function noModel(hasChart: boolean): UserError {
  const configure = 'An operator can set HF_TOKEN (hosted models) or MODEL_ENDPOINT_URL (a self-hosted server).';
  if (hasChart) {
    return new UserError(
      'no_model',
      `I can change the last chart's type (bar, line, area, point, pie), scale (log or linear), sort order and title myself; other changes, and charts drawn from a description, need a chat model, which isn't set up here. To chart new data, send ${DATA_HINT}. ${configure}`,
    );
  }
  return new UserError(
    'no_model',
    `Drawing a chart from a description needs a chat model, which isn't set up here. Send the data instead: ${DATA_HINT}. ${configure}`,
  );
}
