import type { PreparedImage } from './prepare.js';
import type { ImageFormat } from './sniff.js';
import sharp from './sharp.js';

/** Colours as a person names them; the dominant colour is named by the nearest. */
const COLOURS: ReadonlyArray<readonly [string, number, number, number]> = [
  ['black', 20, 20, 20],
  ['white', 240, 240, 240],
  ['grey', 128, 128, 128],
  ['red', 200, 40, 40],
  ['orange', 230, 140, 30],
  ['yellow', 230, 210, 50],
  ['green', 60, 160, 60],
  ['teal', 40, 150, 150],
  ['blue', 50, 90, 200],
  ['purple', 130, 60, 170],
  ['pink', 230, 130, 180],
  ['brown', 120, 80, 40],
  ['beige', 220, 200, 160],
  ['dark blue', 20, 30, 90],
  ['dark green', 20, 70, 30],
];
/** Enough pixels for a dominant colour; the prepared JPEG shrinks to it on load. */
const THUMBNAIL = 128;
const EXTENSIONS: Record<ImageFormat, readonly string[]> = {
  JPEG: ['jpg', 'jpeg', 'jpe', 'jfif'],
  PNG: ['png', 'apng'],
  GIF: ['gif'],
  WEBP: ['webp'],
  AVIF: ['avif'],
  TIFF: ['tif', 'tiff'],
  SVG: ['svg'],
};

/** "mostly green", "mostly white, with transparent parts", "fully transparent": read off the prepared image. */
export async function lookOf(image: PreparedImage): Promise<string> {
  if (image.facts.transparency === 'full') return 'fully transparent';
  const { dominant } = await sharp(image.bytes).resize(THUMBNAIL, THUMBNAIL, { fit: 'inside' }).stats();
  return `mostly ${colourName(dominant)}${image.facts.transparency === 'partial' ? ', with transparent parts' : ''}`;
}

/**
 * "**p.jpg**: a 450×600 JPEG image (portrait), mostly green; turned upright from EXIF orientation 8."
 * The notes say what was done to the image on its way to a model.
 */
export function factsLine(name: string, image: PreparedImage, look: string): string {
  const { format, width, height, frames, orientation, space, bitsPerChannel } = image.facts;
  const notes: string[] = [];
  if (frames > 1) notes.push('described from its first frame');
  if (orientation !== 1) notes.push(`turned upright from EXIF orientation ${orientation}`);
  if (space === 'cmyk') notes.push('converted from CMYK to sRGB');
  if (bitsPerChannel > 8) notes.push(`${bitsPerChannel}-bit, read as 8-bit`);
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  if (extension && !EXTENSIONS[format].includes(extension)) notes.push(`a ${format} file, though named .${extension}`);
  const animated = frames > 1 ? `, animated, ${frames} frames` : '';
  const drawing = format === 'SVG' ? 'a vector drawing, ' : '';
  return `**${name}**: a ${width}×${height} ${format} image (${shapeOf(image)}${animated}), ${drawing}${look}${notes.length ? `; ${notes.join('; ')}` : ''}.`;
}

/** Alt text from what is known without a caption model: the kind of image, its colour, its text. */
export function altFromFacts(image: PreparedImage, look: string, text: string | undefined): string {
  const { format, frames } = image.facts;
  const kind = frames > 1 ? 'animation' : format === 'SVG' ? 'drawing' : format === 'JPEG' || format === 'AVIF' ? 'photo' : 'image';
  const words = text?.replace(/\s+/g, ' ').trim();
  return words ? `A ${shapeOf(image)} ${kind} with the text “${words}”.` : `A ${shapeOf(image)} ${kind}, ${look}.`;
}

function shapeOf(image: PreparedImage): string {
  const { width, height } = image.facts;
  return width === height ? 'square' : width > height ? 'landscape' : 'portrait';
}

function colourName({ r, g, b }: { r: number; g: number; b: number }): string {
  let best = 'grey';
  let distance = Infinity;
  for (const [name, cr, cg, cb] of COLOURS) {
    const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    if (d < distance) [best, distance] = [name, d];
  }
  return best;
}
