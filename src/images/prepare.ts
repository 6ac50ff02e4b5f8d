import type { Metadata, SharpOptions } from 'sharp';
import sharp from './sharp.js';
import { ImageRefusal } from './refusal.js';
import { sniff, type ImageFormat } from './sniff.js';
import { checkSvg, svgDensity } from './svg.js';

/** The long side models are given; more costs tokens and time and rarely helps. */
export const MODEL_SIDE = 1024;
/** Larger images are refused from their header alone, before any pixel is decoded; a 48 MP photo passes. */
export const MAX_INPUT_PIXELS = 100_000_000;
const JPEG_QUALITY = 85;
/**
 * Sources that are usually drawn rather than photographed (screenshots, diagrams, logos, vector
 * art) stay lossless as PNG: JPEG smears their text and edges, which a model or OCR then misreads.
 * Photographic sources (JPEG, WebP, AVIF) are already lossy and are sent as JPEG, several times smaller.
 */
const LOSSLESS: ReadonlySet<ImageFormat> = new Set(['PNG', 'GIF', 'TIFF', 'SVG']);
const ANIMATED: ReadonlySet<ImageFormat> = new Set(['GIF', 'WEBP']);
/** What the file's last bytes are when it was written whole. */
const ENDINGS: Partial<Record<ImageFormat, readonly number[]>> = {
  JPEG: [0xff, 0xd9],
  PNG: [0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82],
  GIF: [0x3b],
};
const BITS: Partial<Record<string, number>> = { uchar: 8, char: 8, ushort: 16, short: 16 };

export type Transparency = 'none' | 'partial' | 'full';

/** What the source image is, as the facts line tells it. */
export interface ImageFacts {
  /** What the bytes are, whatever the file is called. */
  format: ImageFormat;
  /** Upright, after the EXIF orientation; for an SVG, its own size in CSS pixels. */
  width: number;
  height: number;
  /** Above 1 for an animated GIF or WebP, of which the first frame is prepared. */
  frames: number;
  /** EXIF orientation as stored: 1 is upright, 6 and 8 on the side, 3 upside down. */
  orientation: number;
  /** libvips' name of the source colour space: srgb, cmyk, b-w, grey16, rgb16, … */
  space: string;
  bitsPerChannel: number;
  transparency: Transparency;
}

/** An image as models take it: upright 8-bit sRGB, first frame, opaque on white, long side at most MODEL_SIDE. */
export interface PreparedImage {
  bytes: Uint8Array;
  mime: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
  facts: ImageFacts;
}

/**
 * The router, the tool and every model call (retries, fallbacks, the next link of a chain) ask
 * for the same bytes: each is prepared once. Keyed weakly by the bytes object, so a preparation
 * lives as long as its message; a prepared image maps to itself, so passing it on costs nothing.
 */
const preparations = new WeakMap<Uint8Array, Promise<PreparedImage>>();

/**
 * Prepares an upload for a model and says what it is, or refuses it with an ImageRefusal that
 * says why: not an image, a format not read here, too many pixels (from the header, in about a
 * millisecond, before any pixel is decoded), a damaged or truncated file, an unsafe SVG.
 */
export function prepareImage(bytes: Uint8Array): Promise<PreparedImage> {
  let preparing = preparations.get(bytes);
  if (!preparing) {
    preparing = prepare(bytes).then((image) => {
      preparations.set(image.bytes, Promise.resolve(image));
      return image;
    });
    preparations.set(bytes, preparing);
  }
  return preparing;
}

async function prepare(bytes: Uint8Array): Promise<PreparedImage> {
  const format = await sniff(bytes);
  if (format === 'SVG') checkSvg(bytes);
  const header = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((cause: unknown) => {
      throw new ImageRefusal(`it isn't a readable image: ${format === 'SVG' ? 'the SVG is not well-formed' : 'its header is damaged'}`, { cause });
    });
  const { width, height } = header.autoOrient;
  // A vector is drawn at the size models take, however small or large it says it is.
  const density = format === 'SVG' ? svgDensity(width, height, MODEL_SIDE) : undefined;
  const scale = density === undefined ? 1 : density / 72;
  if (width * scale * height * scale > MAX_INPUT_PIXELS) {
    throw new ImageRefusal(`it is too large to open: ${width}×${height} pixels, over the ${MAX_INPUT_PIXELS / 1e6}-megapixel limit`, {
      code: 'file_too_large',
    });
  }
  const options: SharpOptions = {
    limitInputPixels: MAX_INPUT_PIXELS,
    // A truncated file is refused, not shown with its missing part grey: a caption of half a photo
    // would describe the grey as if it were there. Warnings (odd EXIF or ICC data) do not refuse.
    failOn: 'error',
    autoOrient: true,
    // sharp decodes one page (the first frame of an animation; the primary image of a HEIF) by default.
    ...(density === undefined ? {} : { density }),
  };
  // One decode, straight to the model's size (JPEG shrinks on load), 8-bit sRGB from CMYK (with
  // its ICC profile), 16-bit or greyscale; the alpha is read off the raw pixels before flattening.
  const { data, info } = await sharp(bytes, options)
    .resize(MODEL_SIDE, MODEL_SIDE, { fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch((cause: unknown) => {
      throw decodeRefusal(cause, bytes, format);
    });
  const hasAlpha = info.channels === 2 || info.channels === 4;
  let output = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  if (hasAlpha) output = output.flatten({ background: '#ffffff' });
  const lossless = LOSSLESS.has(format);
  const encoded = lossless ? await output.png().toBuffer() : await output.jpeg({ quality: JPEG_QUALITY }).toBuffer();
  return {
    bytes: encoded,
    mime: lossless ? 'image/png' : 'image/jpeg',
    width: info.width,
    height: info.height,
    facts: {
      format,
      width,
      height,
      frames: ANIMATED.has(format) ? (header.pages ?? 1) : 1,
      orientation: header.orientation ?? 1,
      space: header.space,
      bitsPerChannel: bitsOf(header),
      transparency: hasAlpha ? transparencyOf(data, info.channels) : 'none',
    },
  };
}

function bitsOf(header: Metadata): number {
  return BITS[header.depth] ?? 32;
}

function transparencyOf(pixels: Uint8Array, channels: number): Transparency {
  let lowest = 255;
  let highest = 0;
  for (let at = channels - 1; at < pixels.length; at += channels) {
    const alpha = pixels[at] ?? 255;
    if (alpha < lowest) lowest = alpha;
    if (alpha > highest) highest = alpha;
    if (lowest === 0 && highest === 255) break;
  }
  return highest === 0 ? 'full' : lowest === 255 ? 'none' : 'partial';
}

function decodeRefusal(cause: unknown, bytes: Uint8Array, format: ImageFormat): ImageRefusal {
  if (cause instanceof Error && /pixel limit/i.test(cause.message)) return new ImageRefusal('it is too large to open', { code: 'file_too_large', cause });
  const ending = ENDINGS[format];
  const whole = ending?.every((byte, index) => bytes[bytes.length - ending.length + index] === byte) ?? true;
  return new ImageRefusal(
    whole ? "it isn't a readable image: its data is damaged" : "it isn't a readable image: the file is cut short, as when an upload is interrupted",
    { cause },
  );
}
