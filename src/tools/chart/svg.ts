import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A drawing as SVG, with the size of its scene. */
export interface Drawn {
  svg: string;
  width: number;
  height: number;
  marks: number;
}

/** A spec the renderer could not draw; its message says why, for the user or for a model to fix. */
export class SpecError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'too_many_marks',
  ) {
    super(message);
    this.name = 'SpecError';
  }
}

const refuse = (what: string) => () => Promise.reject(new Error(`${what} refused: charts draw only the data they carry`));

/** Vega's default loader fetches URLs and reads files; this one refuses every load, link and image. */
const refusingLoader: vega.Loader = {
  load: refuse('loading'),
  sanitize: refuse('linking'),
  http: refuse('fetching'),
  file: refuse('reading files'),
};

const silent = vega.logger(vega.None);

/** Compiles a Vega-Lite spec and draws it to SVG without a browser, refusing every load. */
export async function drawSvg(spec: TopLevelSpec, maxMarks: number): Promise<Drawn> {
  let view: vega.View;
  try {
    view = new vega.View(vega.parse(compile(spec, { logger: silent }).spec), { renderer: 'none', loader: refusingLoader, logger: silent, logLevel: vega.None });
  } catch (error) {
    throw new SpecError(error instanceof Error ? error.message : String(error), 'invalid');
  }
  try {
    await view.runAsync();
    // The scenegraph is typed as its root scene, but is the graph holding it.
    const marks = countItems((view.scenegraph() as unknown as { root: unknown }).root);
    if (marks > maxMarks)
      throw new SpecError(`the chart would draw ${marks.toLocaleString('en-US')} marks; the limit is ${maxMarks.toLocaleString('en-US')}`, 'too_many_marks');
    const svg = await view.toSVG();
    const size = /<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"/.exec(svg);
    return { svg, width: Number(size?.[1] ?? view.width()), height: Number(size?.[2] ?? view.height()), marks };
  } finally {
    view.finalize();
  }
}

interface SceneNode {
  items?: SceneNode[];
}

function countItems(node: unknown): number {
  const items = (node as SceneNode | undefined)?.items;
  if (!Array.isArray(items)) return 0;
  let count = items.length;
  for (const item of items) count += countItems(item);
  return count;
}
