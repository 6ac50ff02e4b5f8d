import { prepareImage } from '../images/prepare.js';

/**
 * An image as a model takes it (see prepareImage: upright, first frame, 8-bit sRGB, opaque, at
 * most 1024 pixels on the long side), as a data URL. The same bytes are prepared once, however
 * many model calls send them.
 */
export async function toDataUrl(bytes: Uint8Array): Promise<string> {
  const image = await prepareImage(bytes);
  return `data:${image.mime};base64,${Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString('base64')}`;
}
