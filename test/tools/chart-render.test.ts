import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { writeFontsConf } from '../../src/images/fonts.js';
import { ChartRenderer } from '../../src/tools/chart/render.js';
import type { Spec } from '../../src/tools/chart/spec-shape.js';

const run = promisify(execFile);
const fruit: Spec = {
  title: 'Fruit sold',
  data: {
    values: [
      { fruit: 'apples', n: 3 },
      { fruit: 'pears', n: 5 },
    ],
  },
  mark: 'bar',
  encoding: { x: { field: 'fruit', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } },
  width: 300,
  height: 200,
};

async function refusal(work: Promise<unknown>): Promise<UserError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (error instanceof UserError) return error;
  throw new Error(`expected a UserError, got ${String(error)}`);
}

/** Pixels darker than the white background in a region of a PNG. */
async function inked(png: Uint8Array, region?: { left: number; top: number; width: number; height: number }): Promise<number> {
  const image = region ? sharp(png).extract(region) : sharp(png);
  const { data } = await image.greyscale().raw().toBuffer({ resolveWithObject: true });
  return data.filter((value) => value < 200).length;
}

describe('rendering a chart to PNG', () => {
  const renderer = new ChartRenderer();
  afterAll(() => renderer.close());

  it('gives a real PNG, twice the size of the SVG, with the title drawn', async () => {
    const drawn = await renderer.svg(fruit);
    expect(drawn.svg).toMatch(/^<svg/);
    expect(drawn.svg).toContain('font-family="DejaVu Sans"');
    const { png, width, height } = await renderer.render(fruit);
    expect([...png.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const meta = await sharp(png).metadata();
    expect(meta).toMatchObject({ format: 'png', width, height, hasAlpha: false });
    expect(width).toBe(Math.ceil(drawn.width * 2));
    expect(height).toBe(Math.ceil(drawn.height * 2));
    const titleBand = { left: 0, top: 0, width, height: 40 };
    expect(await inked(png, titleBand)).toBeGreaterThan(200);
    expect(await inked(png, { left: 0, top: 0, width: 8, height: 8 })).toBe(0);
  });

  it('never loads what a spec points at, even past the sandbox', async () => {
    const requests: string[] = [];
    const server: Server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('fruit,n\nstolen,99\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = await mkdtemp(join(tmpdir(), 'chart-secret-'));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const secret = join(dir, 'secret.csv');
      await writeFile(secret, 'fruit,n\nsecret_row_value,42\n');
      const loading: Spec = {
        layer: [
          { data: { url: `${base}/data.csv` }, mark: 'bar', encoding: { x: { field: 'fruit', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } } },
          { data: { url: secret }, mark: 'bar', encoding: { x: { field: 'fruit', type: 'nominal' }, y: { field: 'n', type: 'quantitative' } } },
          { data: { url: `file://${secret}` }, mark: 'point', encoding: { x: { field: 'fruit', type: 'nominal' } } },
        ],
      };
      const drawn = await renderer.svg(loading);
      expect(drawn.svg).not.toContain('secret_row_value');
      expect(drawn.svg).not.toContain('stolen');
      const image: Spec = { data: { values: [{ u: `${base}/image.png` }] }, mark: 'image', encoding: { url: { field: 'u' }, href: { field: 'u' } } };
      // Vega's SVG writer fails on an image it was refused; what matters is that nothing was fetched.
      const imageDrawn = await renderer.svg(image).catch(() => undefined);
      expect(imageDrawn?.svg ?? '').not.toContain(base);
      expect(requests).toEqual([]);
    } finally {
      server.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops a chart that runs too long and draws the next one', async () => {
    const slow = new ChartRenderer({ timeoutMs: 1000 });
    try {
      const backtracking: Spec = {
        data: { values: [{ s: `${'a'.repeat(34)}!` }] },
        transform: [{ calculate: 'test(/(a+)+$/, datum.s) ? 1 : 0', as: 'hit' }],
        mark: 'bar',
        encoding: { y: { field: 'hit', type: 'quantitative' } },
      };
      const started = Date.now();
      const error = await refusal(slow.render(backtracking));
      expect(error.code).toBe('timeout');
      expect(error.message).toBe('That chart took longer than 1 s to draw, so I stopped it. Simplify it (fewer rows, simpler expressions).');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect((await slow.render(fruit)).png.byteLength).toBeGreaterThan(1000);
    } finally {
      await slow.close();
    }
  });

  it('refuses too many marks, an invalid spec, and an abort', async () => {
    const capped = new ChartRenderer({ maxMarks: 50 });
    try {
      const points: Spec = {
        data: { values: Array.from({ length: 100 }, (_, i) => ({ i })) },
        mark: 'point',
        encoding: { x: { field: 'i', type: 'quantitative' } },
      };
      expect(await refusal(capped.render(points))).toMatchObject({ code: 'too_much_data' });
      const invalid = await refusal(capped.render({ data: { values: [] }, encoding: { x: { field: 'a', type: 'nominal' } } }));
      expect(invalid.message).toMatch(/^That chart spec isn't valid Vega-Lite: Invalid specification/);
      const aborted = new AbortController();
      aborted.abort();
      await expect(capped.render(fruit, aborted.signal)).rejects.toThrow();
      expect((await capped.render(fruit)).width).toBeGreaterThan(0);
    } finally {
      await capped.close();
    }
  });

  it('refuses a chart needing more memory than a render may have, without harm to the process', async () => {
    const small = new ChartRenderer({ heapMb: 8 });
    try {
      expect(await refusal(small.render(fruit))).toMatchObject({
        code: 'too_much_data',
        message: 'That chart needs more memory than I give one chart, so I stopped it.',
      });
    } finally {
      await small.close();
    }
  });
});

describe('fonts on a machine without any', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'chart-fonts-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function inkWith(fontsConf: string): Promise<{ wide: number; narrow: number }> {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'test/support/chart-ink.ts'], { env: { ...process.env, FONTCONFIG_FILE: fontsConf } });
    return JSON.parse(stdout) as { wide: number; narrow: number };
  }

  it('draws real glyphs from the bundled font alone, where an empty font setup draws boxes', async () => {
    const empty = join(dir, 'empty.conf');
    await writeFile(empty, `<?xml version="1.0"?>\n<fontconfig><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>\n`);
    const [bundled, none] = await Promise.all([inkWith(writeFontsConf({ system: false })), inkWith(empty)]);
    expect(bundled.wide).toBeGreaterThan(bundled.narrow * 2.5);
    expect(none.wide).toBeLessThan(none.narrow * 1.5);
  }, 60_000);
});
