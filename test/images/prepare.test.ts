import { readdir } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { MODEL_SIDE, prepareImage, type ImageFacts, type PreparedImage } from '../../src/images/prepare.js';
import { ImageRefusal } from '../../src/images/refusal.js';
import { fixture, IMAGE_FIXTURES } from '../support/shared.js';

type Outcome =
  | { facts: Partial<ImageFacts>; mime: PreparedImage['mime']; size: [number, number] }
  | { refused: RegExp; code: 'unreadable_file' | 'unsupported_file' | 'file_too_large' };

/** Every file in the shared fixtures, with what preparing it must give; a new fixture fails until it is listed. */
const FIXTURES: Record<string, Outcome> = {
  '16-bit-grey-alpha.png': {
    facts: { format: 'PNG', width: 109, height: 96, space: 'grey16', bitsPerChannel: 16, transparency: 'partial' },
    mime: 'image/png',
    size: [109, 96],
  },
  '320x240.jpg': { facts: { format: 'JPEG', width: 320, height: 240, orientation: 1, space: 'srgb', frames: 1 }, mime: 'image/jpeg', size: [320, 240] },
  '65536-uint32-limit.png': { refused: /^it is too large to open: 65536×65536 pixels, over the 100-megapixel limit$/, code: 'file_too_large' },
  'Channel_digital_image_CMYK_color.jpg': {
    facts: { format: 'JPEG', width: 500, height: 333, space: 'cmyk', bitsPerChannel: 8 },
    mime: 'image/jpeg',
    size: [500, 333],
  },
  'LICENSE-sharp': { refused: /^it isn't an image but text$/, code: 'unsupported_file' },
  'Landscape_3.jpg': { facts: { format: 'JPEG', width: 600, height: 450, orientation: 3 }, mime: 'image/jpeg', size: [600, 450] },
  'Landscape_6.jpg': { facts: { format: 'JPEG', width: 600, height: 450, orientation: 6 }, mime: 'image/jpeg', size: [600, 450] },
  'Portrait_8.jpg': { facts: { format: 'JPEG', width: 450, height: 600, orientation: 8 }, mime: 'image/jpeg', size: [450, 600] },
  SOURCE: { refused: /^it isn't an image but text$/, code: 'unsupported_file' },
  'animated-loop-3.gif': { facts: { format: 'GIF', width: 370, height: 285, frames: 10, transparency: 'none' }, mime: 'image/png', size: [370, 285] },
  'check.svg': { facts: { format: 'SVG', width: 100, height: 100, transparency: 'partial' }, mime: 'image/png', size: [MODEL_SIDE, MODEL_SIDE] },
  'concert.jpg': { facts: { format: 'JPEG', width: 400, height: 267, space: 'b-w' }, mime: 'image/jpeg', size: [400, 267] },
  'corrupt-header.jpg': { refused: /^it isn't a readable image: its header is damaged$/, code: 'unreadable_file' },
  'flowers.jpeg': { facts: { format: 'JPEG', width: 1920, height: 1080 }, mime: 'image/jpeg', size: [1024, 576] },
  'full-transparent.png': { facts: { format: 'PNG', width: 300, height: 300, transparency: 'full' }, mime: 'image/png', size: [300, 300] },
  // The file holds five images; its primary item (pitm) is the 4096×800 one, not the first.
  'pitm.avif': { facts: { format: 'AVIF', width: 4096, height: 800, frames: 1, transparency: 'none' }, mime: 'image/jpeg', size: [1024, 200] },
  'rotating-squares.webp': { facts: { format: 'WEBP', width: 80, height: 80, frames: 9, transparency: 'partial' }, mime: 'image/jpeg', size: [80, 80] },
  'truncated.jpg': { refused: /^it isn't a readable image: the file is cut short/, code: 'unreadable_file' },
  'truncated.png': { refused: /^it isn't a readable image: the file is cut short/, code: 'unreadable_file' },
};

const svg = (body: string, size = 'width="40" height="20"') => new TextEncoder().encode(`<svg xmlns="http://www.w3.org/2000/svg" ${size}>${body}</svg>`);
const refusalOf = (bytes: Uint8Array) =>
  prepareImage(bytes).then(
    () => undefined,
    (error: unknown) => error,
  );

/** Mean absolute difference of two same-sized 8-bit pixel buffers, 0 to 255. */
function difference(a: Uint8Array, b: Uint8Array): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

const pixels = async (bytes: Uint8Array) => sharp(bytes).raw().toBuffer();

describe('prepareImage over every shared fixture', () => {
  it('knows an outcome for every file there', async () => {
    expect((await readdir(IMAGE_FIXTURES)).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(Object.entries(FIXTURES))('%s', async (name, outcome) => {
    const bytes = await fixture(name);
    if ('refused' in outcome) {
      const error = await refusalOf(bytes);
      expect(error).toBeInstanceOf(ImageRefusal);
      expect((error as ImageRefusal).reason).toMatch(outcome.refused);
      expect((error as ImageRefusal).code).toBe(outcome.code);
      return;
    }
    const image = await prepareImage(bytes);
    expect(image.facts).toMatchObject(outcome.facts);
    expect(image.mime).toBe(outcome.mime);
    expect([image.width, image.height]).toEqual(outcome.size);
    // What a model gets is always one plain upright 8-bit sRGB picture, as its bytes say.
    const meta = await sharp(image.bytes).metadata();
    expect(meta).toMatchObject({ format: outcome.mime === 'image/png' ? 'png' : 'jpeg', width: outcome.size[0], height: outcome.size[1] });
    expect(meta).toMatchObject({ space: 'srgb', channels: 3, depth: 'uchar', hasAlpha: false });
    expect(meta.orientation).toBeUndefined();
    expect(meta.pages).toBeUndefined();
  });
});

describe('what preparation does to the pixels', () => {
  it.each([
    ['Landscape_3.jpg', 180],
    ['Landscape_6.jpg', 90],
    ['Portrait_8.jpg', 270],
  ])('%s comes out upright: its stored pixels turned %i° clockwise, as its EXIF orientation says', async (name, degrees) => {
    const bytes = await fixture(name);
    const upright = await pixels((await prepareImage(bytes)).bytes);
    const turned = (angle: number) => sharp(bytes, { autoOrient: false }).rotate(angle).toColourspace('srgb').raw().toBuffer();
    expect(difference(upright, await turned(degrees))).toBeLessThan(8);
    expect(difference(upright, await turned((degrees + 180) % 360))).toBeGreaterThan(40);
  });

  it('converts CMYK to sRGB through its profile, not by inverting channels: the park stays green', async () => {
    const image = await prepareImage(await fixture('Channel_digital_image_CMYK_color.jpg'));
    const [red, green, blue] = (await sharp(image.bytes).stats()).channels.map((channel) => channel.mean);
    expect(green).toBeGreaterThan((red ?? 0) + 3);
    expect(green).toBeGreaterThan((blue ?? 0) + 8);
  });

  it('reads 16-bit grey with alpha as 8-bit grey, its transparent pixels white', async () => {
    const bytes = await fixture('16-bit-grey-alpha.png');
    const source = await sharp(bytes).toColourspace('srgb').raw().toBuffer();
    const out = await pixels((await prepareImage(bytes)).bytes);
    let clear = -1;
    for (let at = 3; at < source.length && clear < 0; at += 4) if (source[at] === 0) clear = (at - 3) / 4;
    expect(clear).toBeGreaterThanOrEqual(0);
    expect([...out.subarray(clear * 3, clear * 3 + 3)]).toEqual([255, 255, 255]);
    for (let at = 0; at < out.length; at += 3) expect(out[at] === out[at + 1] && out[at] === out[at + 2]).toBe(true);
  });

  it.each([
    ['animated-loop-3.gif', 5],
    ['rotating-squares.webp', 4],
  ])('takes the first frame of %s, not a later one nor the strip of all', async (name, later) => {
    const bytes = await fixture(name);
    const out = await pixels((await prepareImage(bytes)).bytes);
    const frame = (page: number) => sharp(bytes, { page }).flatten({ background: '#ffffff' }).toColourspace('srgb').raw().toBuffer();
    const first = difference(out, await frame(0));
    expect(first).toBeLessThan(difference(out, await frame(later)) / 2);
  });

  it('never enlarges a small photo, and shrinks a large one to the model side', async () => {
    const small = await sharp({ create: { width: 64, height: 32, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    expect(await prepareImage(small)).toMatchObject({ width: 64, height: 32 });
    const tall = await sharp({ create: { width: 1500, height: 3000, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    expect(await prepareImage(tall)).toMatchObject({ width: 512, height: 1024, facts: { width: 1500, height: 3000 } });
  });
});

describe('refusing what is not an image, with the reason', () => {
  it.each([
    ['an empty file', new Uint8Array(), /^the file is empty$/],
    ['text', new TextEncoder().encode('just some notes, saved as photo.png\n'), /^it isn't an image but text$/],
    ['a web page', new TextEncoder().encode('<!DOCTYPE html><html><body>Please sign in</body></html>'), /^it isn't an image but a web page$/],
    ['a PDF', new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n'), /^it isn't an image but a PDF file$/],
    ['a gzip archive', gzipSync(Buffer.from('not an image at all')), /^it isn't an image but a GZ file$/],
    ['a BMP', Uint8Array.from([0x42, 0x4d, ...new Array<number>(60).fill(0)]), /^it is a BMP image, a format I can't open: send it as PNG, JPEG/],
    ['random bytes', Uint8Array.from({ length: 256 }, (_, i) => (i * 97 + 13) % 256), /^it isn't an image in any format I know/],
  ])('%s', async (_what, bytes, reason) => {
    const error = await refusalOf(bytes);
    expect(error).toBeInstanceOf(ImageRefusal);
    expect((error as ImageRefusal).reason).toMatch(reason);
    expect((error as ImageRefusal).message).toMatch(/^One of the images can't be read: /);
  });
});

describe('SVG', () => {
  it('renders a self-contained drawing at the model side, with internal references, gradients and embedded rasters', async () => {
    const dot = (
      await sharp({ create: { width: 2, height: 2, channels: 3, background: '#ff0000' } })
        .png()
        .toBuffer()
    ).toString('base64');
    const drawing = svg(
      '<defs><linearGradient id="g"><stop offset="0" stop-color="blue"/></linearGradient><rect id="r" width="10" height="10"/></defs>' +
        `<rect width="40" height="20" fill="url(#g)"/><use href="#r" fill="green"/><image x="30" width="10" height="10" href="data:image/png;base64,${dot}"/>`,
    );
    const image = await prepareImage(drawing);
    expect(image).toMatchObject({ mime: 'image/png', width: 1024, height: 512, facts: { format: 'SVG', width: 40, height: 20 } });
  });

  it('draws one that declares a huge size at the model side instead of at its size', async () => {
    const image = await prepareImage(svg('<circle cx="50000" cy="25000" r="20000" fill="red"/>', 'width="100000" height="50000"'));
    expect(image).toMatchObject({ width: 1024, height: 512, facts: { width: 100000, height: 50000 } });
  });

  it.each([
    [
      'declares entities (billion laughs)',
      '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
      '<text>&b;</text>',
      /XML entities/,
    ],
    ['reads a local file', '', '<image href="file:///etc/passwd" width="10" height="10"/>', /loads other files or web addresses/],
    ['fetches a URL by xlink:href', '', '<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="http://example.com/a.png"/>', /loads other files/],
    ['uses a relative path', '', '<image href="secret.png" width="10" height="10"/>', /loads other files/],
    ['fills from a remote URL', '', '<rect width="9" height="9" style="fill: url(https://example.com/p.svg#x)"/>', /loads other files/],
    ['imports a stylesheet', '', '<style>@import "https://example.com/a.css";</style>', /loads other files/],
    ['nests an SVG in a data URL', '', '<image href="data:image/svg+xml;base64,PHN2Zy8+" width="9" height="9"/>', /loads other files/],
    ['hides a URL behind a character reference', '', '<image href="&#104;ttp://example.com/a.png"/>', /loads other files/],
  ])('refuses one that %s', async (_what, prelude, body, reason) => {
    const bytes = new TextEncoder().encode(`${prelude}<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${body}</svg>`);
    const error = await refusalOf(bytes);
    expect(error).toBeInstanceOf(ImageRefusal);
    expect((error as ImageRefusal).reason).toMatch(reason);
  });

  it('refuses one that is not well-formed', async () => {
    const error = await refusalOf(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="3"'));
    expect((error as ImageRefusal).reason).toBe("it isn't a readable image: the SVG is not well-formed");
  });

  it('refuses one whose size is too large even when drawn at the lowest density', async () => {
    const error = await refusalOf(svg('', 'width="100000000" height="100000000"'));
    expect((error as ImageRefusal).reason).toMatch(/^it is too large to open/);
  });
});

describe('one preparation per image', () => {
  it('prepares the same bytes once, and takes a prepared image as it is', async () => {
    const bytes = await fixture('Portrait_8.jpg');
    const image = await prepareImage(bytes);
    expect(await prepareImage(bytes)).toBe(image);
    expect(await prepareImage(image.bytes)).toBe(image);
    const copy = Uint8Array.from(bytes);
    const again = await prepareImage(copy);
    expect(again).not.toBe(image);
    expect(again.facts).toEqual(image.facts);
  });
});
