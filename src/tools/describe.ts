import type { Sharp } from 'sharp';
import { z } from 'zod';
import { attachmentKind } from '../core/attachments.js';
import { UserError } from '../core/errors.js';
import type { Attachment } from '../core/message.js';
import { addUsage, type Served, type Usage } from '../core/models.js';
import { defineTool } from '../core/tool.js';

/** sharp loads native libraries (a few hundred ms), so only when the first image comes. */
const loadSharp = async () => (await import('sharp')).default;
/** OCR text quoted in a reply; a page of text is summarized better on request. */
const MAX_QUOTED_TEXT = 500;
const ANIMATED = new Set(['gif', 'webp', 'png']);
const THUMBNAIL = 128;
/** Larger images are refused from their header alone, before any pixel is decoded. */
const MAX_PIXELS = 100_000_000;

const COLOURS: Array<[string, number, number, number]> = [
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

export const describe = defineTool({
  name: 'describe',
  description: 'Describe an attached image: what it shows, the text in it, its size and format',
  input: z.object({}),
  accepts: ['image'],
  keywords: ['describe', 'what is in this image', "what's in this image", 'what is this picture', '描述', '这是什么图'],
  run: async (_input, ctx) => {
    const images = ctx.inbound.attachments.filter((file) => attachmentKind(file.mime, file.name) === 'image');
    if (images.length === 0) throw new UserError('no_image', 'Attach an image and I will describe it.');
    const captioning = ctx.models.has('caption');
    let served: Served | undefined;
    let usage: Usage | undefined;
    const lines: string[] = [];
    for (const file of images) {
      lines.push(await imageFacts(file));
      if (!file.bytes) continue;
      if (captioning) {
        const caption = await ctx.models.caption({ image: file.bytes, mime: file.mime }, { signal: ctx.signal });
        lines.push(caption.text);
        served = caption;
        usage = addUsage(usage, caption.usage);
      }
      const written = await ctx.models.readText({ image: file.bytes }, { signal: ctx.signal });
      if (written) lines.push(`Text in the image: “${clip(written.replace(/\s+/g, ' '), MAX_QUOTED_TEXT)}”`);
    }
    if (!captioning) lines.push("(These are the image's facts: seeing what it shows needs a caption model, which is not set up here.)");
    const text = lines.join('\n');
    return { replies: [{ type: 'text', text }], provider: served?.provider ?? 'local', model: served?.model ?? 'sharp', ...(usage ? { usage } : {}) };
  },
});

async function imageFacts(file: Attachment): Promise<string> {
  if (!file.bytes) throw new UserError('unreadable_file', `I couldn't get the contents of ${file.name}.`);
  const sharp = await loadSharp();
  const image = sharp(file.bytes, { limitInputPixels: MAX_PIXELS, failOn: 'error', autoOrient: true });
  try {
    const meta = await image.metadata();
    const width = meta.autoOrient.width;
    const height = meta.autoOrient.height;
    const shape = width === height ? 'square' : width > height ? 'landscape' : 'portrait';
    const animated = ANIMATED.has(meta.format) && meta.pages && meta.pages > 1 ? `, ${meta.pages} frames` : '';
    const format = meta.format === 'heif' && meta.compression === 'av1' ? 'AVIF' : meta.format.toUpperCase();
    // A vector drawing is not rasterized here; its colours say little without rendering it.
    const look = meta.format === 'svg' ? 'a vector drawing' : await colours(image, meta.hasAlpha);
    return `**${file.name}**: a ${width}×${height} ${format} image (${shape}${animated}), ${look}.`;
  } catch (error) {
    const reason =
      error instanceof Error && /pixel limit/i.test(error.message) ? 'it is too large to open' : "it isn't a readable image (damaged, or not an image at all)";
    throw new UserError('unreadable_file', `I couldn't read ${file.name}: ${reason}.`, { cause: error });
  }
}

/** Read off a small 8-bit sRGB copy: cheap for large photos, and the same scale for 16-bit and CMYK. */
async function colours(image: Sharp, hasAlpha: boolean): Promise<string> {
  const sharp = await loadSharp();
  const thumbnail = await image.clone().resize(THUMBNAIL, THUMBNAIL, { fit: 'inside' }).toColourspace('srgb').png().toBuffer();
  if (hasAlpha && ((await sharp(thumbnail).stats()).channels[3]?.max ?? 0) === 0) return 'fully transparent';
  const flat = hasAlpha ? await sharp(thumbnail).flatten({ background: '#ffffff' }).png().toBuffer() : thumbnail;
  const { dominant } = await sharp(flat).stats();
  return `mostly ${colourName(dominant)}${hasAlpha ? ', with transparent parts' : ''}`;
}

function colourName({ r, g, b }: { r: number; g: number; b: number }): string {
  let best = COLOURS[0]?.[0] ?? 'grey';
  let distance = Infinity;
  for (const [name, cr, cg, cb] of COLOURS) {
    const d = (r - cr) ** 2 + (g - cg) ** 2 + (b - cb) ** 2;
    if (d < distance) [best, distance] = [name, d];
  }
  return best;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
