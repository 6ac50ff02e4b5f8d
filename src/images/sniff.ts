import { ImageRefusal } from './refusal.js';
import { isSvg } from './svg.js';

/** The formats this bot decodes (sharp's prebuilt libvips), by what the bytes are, whatever the file is called. */
export type ImageFormat = 'JPEG' | 'PNG' | 'GIF' | 'WEBP' | 'AVIF' | 'TIFF' | 'SVG';

const READABLE: Record<string, ImageFormat> = {
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  // sharp reads an animated PNG as its first frame.
  'image/apng': 'PNG',
  'image/gif': 'GIF',
  'image/webp': 'WEBP',
  'image/avif': 'AVIF',
  'image/tiff': 'TIFF',
};

const TEXT_SAMPLE = 4096;
const FORMATS_NOTE = 'send it as PNG, JPEG, WebP, GIF, AVIF, TIFF or SVG';

/**
 * The real type of an upload from its bytes (file-type's magic numbers; SVG from its text), or an
 * ImageRefusal that says what the file is instead: a .jpg that is really a PDF is refused as a PDF.
 */
export async function sniff(bytes: Uint8Array): Promise<ImageFormat> {
  if (bytes.byteLength === 0) throw new ImageRefusal('the file is empty');
  const { fileTypeFromBuffer } = await import('file-type');
  const found = await fileTypeFromBuffer(bytes);
  // file-type reads any document that starts with `<?xml` as XML; an SVG is one of them.
  if (found && found.mime !== 'application/xml') {
    const format = READABLE[found.mime];
    if (format) return format;
    if (found.mime.startsWith('image/'))
      throw new ImageRefusal(`it is a ${found.ext.toUpperCase()} image, a format I can't open: ${FORMATS_NOTE}`, { code: 'unsupported_file' });
    throw new ImageRefusal(`it isn't an image but a ${found.ext.toUpperCase()} file`, { code: 'unsupported_file' });
  }
  const text = textOf(bytes);
  if (text !== undefined && isSvg(text)) return 'SVG';
  if (text !== undefined && /^\s*(<!doctype html|<html)/i.test(text)) throw new ImageRefusal("it isn't an image but a web page", { code: 'unsupported_file' });
  if (text !== undefined) throw new ImageRefusal("it isn't an image but text", { code: 'unsupported_file' });
  throw new ImageRefusal(`it isn't an image in any format I know: ${FORMATS_NOTE}`, { code: 'unsupported_file' });
}

/** The start of the file as text, when it is text (valid UTF-8, no NUL bytes). */
function textOf(bytes: Uint8Array): string | undefined {
  const sample = bytes.subarray(0, TEXT_SAMPLE);
  if (sample.includes(0)) return undefined;
  try {
    // A sample may end inside a multi-byte character: `stream` leaves it pending instead of failing.
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(sample, { stream: true });
  } catch {
    return undefined;
  }
}
