/**
 * Run as a child process (`node --import tsx test/support/chart-ink.ts`) with FONTCONFIG_FILE set:
 * draws a wide and a narrow word through the chart renderer and prints how much ink each left.
 * Real glyphs make "WWWWWW" far darker than "iiiiii"; missing fonts draw both as the same boxes.
 */
import sharp from 'sharp';
import { ChartRenderer } from '../../src/tools/chart/render.js';

const renderer = new ChartRenderer();

async function ink(text: string): Promise<number> {
  const spec = {
    data: { values: [{ t: text }] },
    mark: { type: 'text', fontSize: 40 },
    encoding: { text: { field: 't' } },
    width: 300,
    height: 80,
    config: { view: { stroke: null } },
  };
  const { png } = await renderer.render(spec);
  const { data } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.reduce((sum, value) => sum + (255 - value), 0);
}

console.log(JSON.stringify({ wide: await ink('WWWWWW'), narrow: await ink('iiiiii') }));
await renderer.close();
