import { UserError } from '../core/errors.js';

/** The long side models are given; more costs tokens and time and rarely helps. */
const MAX_SIDE = 1024;
const MAX_INPUT_PIXELS = 100_000_000;

/**
 * An image as a model takes it: oriented, its first frame, at most MAX_SIDE pixels on the long
 * side, 8-bit sRGB, JPEG (PNG when it has transparency), as a data URL.
 */
export async function toDataUrl(bytes: Uint8Array): Promise<string> {
  const sharp = (await import('sharp')).default;
  try {
    const image = sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', autoOrient: true }).resize(MAX_SIDE, MAX_SIDE, {
      fit: 'inside',
      withoutEnlargement: true,
    });
    const { hasAlpha } = await image.metadata();
    const encoded = hasAlpha ? await image.toColourspace('srgb').png().toBuffer() : await image.toColourspace('srgb').jpeg({ quality: 85 }).toBuffer();
    return `data:image/${hasAlpha ? 'png' : 'jpeg'};base64,${encoded.toString('base64')}`;
  } catch (error) {
    throw new UserError('unreadable_file', "One of the images can't be read: it is damaged, too large, or not an image.", { cause: error });
  }
}
