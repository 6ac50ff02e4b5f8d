import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { prepareImage } from '../src/images/prepare.js';
import { IMAGE_FIXTURES } from '../test/support/shared.js';
import { numberEnv } from './env.js';
import { fixed, mark, table } from './table.js';

/** From the issue: a 12-megapixel JPEG to model input. */
const GOALS = { maxP50Ms: 120, maxRatioToBareSharp: 1.3, maxRefusalMs: 10 } as const;
const PHOTO = { width: 4000, height: 3000 };
const PHOTO_FILE = join(tmpdir(), 'assistant-bench-12mp.jpg');

interface Timing {
  p50: number;
  p90: number;
  max: number;
}

/**
 * prepareImage on a 12 MP JPEG against sharp's own bare resize of the same file, run alternately
 * so both see the same machine load; then the 65536×65536 header, which must be refused without
 * decoding. Each prepareImage run gets its own copy of the bytes: the same bytes are prepared once.
 */
export async function benchImages(): Promise<void> {
  const runs = numberEnv('BENCH_IMAGE_RUNS', 40);
  const photo = await twelveMegapixelJpeg();
  const bare = (): Promise<Buffer> => sharp(photo).resize(1024, 1024, { fit: 'inside' }).jpeg().toBuffer();
  const prepared = await prepareImage(Uint8Array.from(photo));
  console.log(
    `Input: ${PHOTO.width}×${PHOTO.height} JPEG (${fixed(photo.byteLength / 1_048_576, 1)} MB, ${PHOTO_FILE}, made once from a fixture); ` +
      `output ${prepared.width}×${prepared.height} ${prepared.mime} (${fixed(prepared.bytes.byteLength / 1024, 0)} KB). ` +
      `${runs} runs each after 5 warm-up runs, alternating; sharp ${sharp.versions.sharp}, libvips ${sharp.versions.vips}, concurrency ${sharp.concurrency()}.`,
  );
  for (let i = 0; i < 5; i++) {
    await prepareImage(Uint8Array.from(photo));
    await bare();
  }
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const copy = Uint8Array.from(photo);
    ours.push(await timed(() => prepareImage(copy)));
    theirs.push(await timed(bare));
  }
  const header = new Uint8Array(await readFile(join(IMAGE_FIXTURES, '65536-uint32-limit.png')));
  const refusals: number[] = [];
  for (let i = 0; i < runs; i++) {
    const copy = Uint8Array.from(header);
    refusals.push(
      await timed(() =>
        prepareImage(copy).then(
          () => Promise.reject(new Error('the 65536×65536 header was not refused')),
          () => undefined,
        ),
      ),
    );
  }
  const a = summary(ours);
  const b = summary(theirs);
  const refusal = summary(refusals);
  console.log('');
  console.log(
    table(
      ['case', 'p50 ms', 'p90 ms', 'max ms'],
      [
        ['prepareImage (sniff, header, orient, sRGB, resize, flatten, JPEG q85)', ...row(a)],
        ["sharp bare: resize(1024, 1024, { fit: 'inside' }).jpeg()", ...row(b)],
        ['prepareImage / bare', `${fixed(a.p50 / b.p50, 2)}×`, `${fixed(a.p90 / b.p90, 2)}×`, ''],
        ['prepareImage refuses 65536-uint32-limit.png (65536×65536 header)', ...row(refusal)],
      ],
      'lrrr',
    ),
  );
  console.log('');
  console.log('Goals (from the issue):');
  console.log(`  ${mark(a.p50 <= GOALS.maxP50Ms)} 12 MP JPEG to model input p50 <= ${GOALS.maxP50Ms} ms: ${fixed(a.p50, 1)} ms`);
  console.log(`  ${mark(a.p50 / b.p50 <= GOALS.maxRatioToBareSharp)} p50 <= ${GOALS.maxRatioToBareSharp}× sharp's bare resize: ${fixed(a.p50 / b.p50, 2)}×`);
  console.log(
    `  ${mark(refusal.p50 <= GOALS.maxRefusalMs)} 65536×65536 header refused in milliseconds (<= ${GOALS.maxRefusalMs} ms p50): ${fixed(refusal.p50, 2)} ms`,
  );
  console.log('');
}

/**
 * A real photo upscaled, with sensor-like grain over it: an upscaled photo alone is smooth and
 * compresses to 0.2 MB, where a phone's 12 MP JPEG is 3-5 MB, and decoding time follows the size.
 */
async function twelveMegapixelJpeg(): Promise<Buffer> {
  if (existsSync(PHOTO_FILE)) return readFile(PHOTO_FILE);
  const grain = await sharp({ create: { ...PHOTO, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 16 } } })
    .png({ compressionLevel: 0 })
    .toBuffer();
  const photo = await sharp(join(IMAGE_FIXTURES, 'flowers.jpeg'))
    .resize(PHOTO.width, PHOTO.height, { fit: 'fill' })
    .composite([{ input: grain, blend: 'overlay' }])
    .jpeg({ quality: 90 })
    .toBuffer();
  await writeFile(PHOTO_FILE, photo);
  return photo;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

function summary(samples: number[]): Timing {
  const sorted = [...samples].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p90: at(0.9), max: sorted.at(-1) ?? Number.NaN };
}

function row(timing: Timing): string[] {
  return [fixed(timing.p50, 1), fixed(timing.p90, 1), fixed(timing.max, 1)];
}
