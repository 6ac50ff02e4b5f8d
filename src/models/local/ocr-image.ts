import sharp from '../../images/sharp.js';

const READABLE_FORMATS = new Set(['png', 'jpeg', 'webp', 'gif']);
/** Refused above this before decoding, so a crafted header cannot make the decoder take gigabytes; a 48 MP photo passes. */
const MAX_INPUT_PIXELS = 50_000_000;
/** Tesseract's time grows with the area; screenshot and photo text stays legible at this size. */
const MAX_SIDE = 2000;

/**
 * The image as Tesseract reads it best and in bounded time: upright, one gray channel (transparency
 * flattened onto white, as under the dark text of most stickers and logos), at most MAX_SIDE
 * pixels on the long side.
 */
export async function imageForOcr(image: Uint8Array): Promise<Buffer> {
  const { format, width, height } = await sharp(image)
    .metadata()
    .catch((cause: unknown) => {
      throw new Error('Cannot read text from this input: it is not an image', { cause });
    });
  if (!READABLE_FORMATS.has(format)) throw new Error(`Cannot read text from a ${format} image: PNG, JPEG, WebP or GIF expected`);
  if (width * height > MAX_INPUT_PIXELS) throw new Error(`Cannot read text from a ${width}×${height} image: at most ${MAX_INPUT_PIXELS / 1e6} megapixels`);
  return sharp(image, { autoOrient: true, limitInputPixels: MAX_INPUT_PIXELS })
    .flatten({ background: 'white' })
    .toColourspace('b-w')
    .resize({ width: MAX_SIDE, height: MAX_SIDE, fit: 'inside', withoutEnlargement: true })
    .png()
    .toBuffer()
    .catch((cause: unknown) => {
      throw new Error(`Cannot read text from this ${format} image: it does not decode`, { cause });
    });
}
