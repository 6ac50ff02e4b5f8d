import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import sharp, { type Sharp } from 'sharp';
import type * as Tesseract from 'tesseract.js';
import { createWorker } from 'tesseract.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TextReader } from '../../../src/models/local/ocr.js';

// Counts worker starts and records their options; the workers themselves are real.
vi.mock('tesseract.js', async (importOriginal) => {
  const actual = await importOriginal<typeof Tesseract>();
  return { ...actual, createWorker: vi.fn(actual.createWorker) };
});
const workerStarts = vi.mocked(createWorker);

function svgImage(width: number, height: number, body: string, background = '<rect width="100%" height="100%" fill="white"/>'): Sharp {
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">${background}${body}</svg>`));
}

function textLines(lines: readonly string[], fontSize = 40): string {
  return lines.map((line, i) => `<text x="30" y="${(i + 1.5) * fontSize * 1.6}" font-family="DejaVu Sans" font-size="${fontSize}">${line}</text>`).join('');
}

/** A full page of small text: Tesseract takes seconds over it. */
function slowPage(): Promise<Buffer> {
  const lines = Array.from({ length: 60 }, (_, i) => `Line ${i} of a long page with many words to read slowly`);
  return svgImage(1400, 2000, textLines(lines, 20)).png().toBuffer();
}

/** Grain without any shape in it, the same on every run. */
function noise(width: number, height: number): Promise<Buffer> {
  const pixels = Buffer.alloc(width * height);
  let seed = 42;
  for (let i = 0; i < pixels.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    pixels[i] = seed >> 23;
  }
  return sharp(pixels, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
}

describe('TextReader', () => {
  let reader: TextReader;
  let greeting: Buffer;

  beforeAll(async () => {
    reader = new TextReader();
    greeting = await svgImage(900, 250, textLines(['The quick brown fox jumps', 'over the lazy dog']))
      .png()
      .toBuffer();
  });
  afterAll(() => reader.close());

  it('reads the words in an image, starting one worker and reusing it', async () => {
    const starts = workerStarts.mock.calls.length;
    const first = await reader.read(greeting);
    expect(first?.text).toBe('The quick brown fox jumps\nover the lazy dog');
    expect(first?.confidence).toBeGreaterThan(0.8);
    const invoice = await svgImage(900, 250, textLines(['Invoice 4821', 'Due on Friday']))
      .jpeg()
      .toBuffer();
    expect((await reader.read(invoice))?.text).toBe('Invoice 4821\nDue on Friday');
    expect(workerStarts.mock.calls.length - starts).toBe(1);
  });

  it('reads dark text on a transparent background', async () => {
    const transparent = await svgImage(900, 250, textLines(['Transparent background']), '')
      .png()
      .toBuffer();
    expect((await reader.read(transparent))?.text).toBe('Transparent background');
  });

  it('finds no text in a blank image or in noise', async () => {
    const blank = await sharp({ create: { width: 400, height: 300, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    expect(await reader.read(blank)).toBeUndefined();
    expect(await reader.read(await noise(240, 160))).toBeUndefined();
  });

  it('refuses what is not a raster image, with a clear error', async () => {
    await expect(reader.read(Buffer.from('%PDF-1.7 not an image at all'))).rejects.toThrow('Cannot read text from this input: it is not an image');
    await expect(reader.read(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'))).rejects.toThrow(
      'Cannot read text from a svg image: PNG, JPEG, WebP or GIF expected',
    );
  });

  it('refuses images too large to decode safely', async () => {
    const huge = await sharp({ create: { width: 8000, height: 7000, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    await expect(reader.read(huge)).rejects.toThrow('Cannot read text from a 8000×7000 image: at most 50 megapixels');
  });

  it('reads one image at a time and lets a waiting one be aborted', async () => {
    const waiting = new AbortController();
    const running = reader.read(greeting);
    const queued = reader.read(greeting, { signal: waiting.signal });
    waiting.abort();
    await expect(queued).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
    expect((await running)?.text).toContain('quick brown fox');
  });

  it('rejects at once when aborted during a recognition, and replaces the worker it ends', async () => {
    await reader.read(greeting);
    const starts = workerStarts.mock.calls.length;
    const page = await slowPage();
    const abort = new AbortController();
    const reading = reader.read(page, { signal: abort.signal });
    await new Promise((resolve) => setTimeout(resolve, 300));
    abort.abort();
    // At once: settled before the event loop turns, not when the recognition would have ended.
    const settled = await Promise.race([
      reading.then(
        () => 'resolved',
        () => 'rejected',
      ),
      new Promise((resolve) => setImmediate(() => resolve('pending'))),
    ]);
    expect(settled).toBe('rejected');
    await expect(reading).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
    expect((await reader.read(greeting))?.text).toContain('quick brown fox');
    expect(workerStarts.mock.calls.length - starts).toBe(1);
  });

  it('does not start for a signal aborted already', async () => {
    const starts = workerStarts.mock.calls.length;
    await expect(new TextReader().read(greeting, { signal: AbortSignal.abort() })).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
    expect(workerStarts.mock.calls.length).toBe(starts);
  });

  it('fails reads after close()', async () => {
    const closed = new TextReader();
    await closed.read(greeting);
    const pending = closed.read(greeting);
    await closed.close();
    await expect(pending).rejects.toThrow('The text reader is closed');
    await expect(closed.read(greeting)).rejects.toThrow('The text reader is closed');
  });

  it('loads the language data from the installed package, so nothing is downloaded or cached', async () => {
    await reader.read(greeting);
    for (const [language, , options] of workerStarts.mock.calls) {
      expect(language).toBe('eng');
      // tesseract.js fetches only when langPath is a URL or missing, and caches only without cacheMethod 'none'.
      expect(options).toMatchObject({ cacheMethod: 'none' });
      expect(existsSync(join(options?.langPath ?? 'missing', 'eng.traineddata.gz'))).toBe(true);
    }
    expect((await readdir(process.cwd())).filter((name) => name.endsWith('.traineddata'))).toEqual([]);
  });
});

describe('TextReader.close', () => {
  it('lets the process exit, which wrote nothing into its working directory', async () => {
    const blank = await sharp({ create: { width: 200, height: 100, channels: 3, background: 'white' } })
      .png()
      .toBuffer();
    const directory = await mkdtemp(join(tmpdir(), 'text-reader-'));
    const script = join(directory, 'read-and-close.mts');
    await writeFile(
      script,
      `import { TextReader } from ${JSON.stringify(pathToFileURL('src/models/local/ocr.ts').href)};
      const reader = new TextReader();
      console.log(JSON.stringify(await reader.read(Buffer.from('${blank.toString('base64')}', 'base64'))) ?? 'no text');
      await reader.close();`,
    );
    try {
      const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
      const run = promisify(execFile)(process.execPath, ['--import', tsx, script], { cwd: directory, timeout: 20_000 });
      await expect(run).resolves.toMatchObject({ stdout: 'no text\n', stderr: '' });
      expect(await readdir(directory)).toEqual(['read-and-close.mts']);
    } finally {
      await rm(directory, { recursive: true });
    }
  });
});
