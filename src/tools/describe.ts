import { z } from 'zod';
import { attachmentKind } from '../core/attachments.js';
import { UserError } from '../core/errors.js';
import type { Attachment } from '../core/message.js';
import { addUsage, type Served } from '../core/models.js';
import { defineTool, type ToolContext } from '../core/tool.js';
import { attachmentBytes, MAX_IMAGE_BYTES } from '../images/download.js';
import { altFromFacts, factsLine, lookOf } from '../images/facts-line.js';
import { prepareImage } from '../images/prepare.js';
import { ImageRefusal } from '../images/refusal.js';
import { ALT_PROMPT, altText, imageRequest, isQuestion, type ImageRequest } from '../images/request.js';
import type { ImageFormat } from '../images/sniff.js';

/** OCR text quoted in a reply; a page of text is summarized better on request. */
const MAX_QUOTED_TEXT = 500;
/**
 * OCR reads these itself from the original, at up to 2000 px: sharper than the model's 1024 for
 * the small text of screenshots. Others (AVIF, TIFF, SVG) it reads from the prepared image.
 */
const OCR_READS_ORIGINAL: ReadonlySet<ImageFormat> = new Set(['JPEG', 'PNG', 'WEBP', 'GIF']);
const NO_CAPTION_MODEL =
  '(That is what can be read without a vision model. For what an image shows and answers about it, an operator can set HF_TOKEN, ' +
  'MODEL_ENDPOINT_URL (a self-hosted vision model) or MODEL_CAPTION.)';

interface Described {
  lines: string[];
  served?: Served;
}

export const describe = defineTool({
  name: 'describe',
  description: 'Describe an attached image, answer a question about it, or write its alt text',
  input: z.object({
    question: z.string().trim().min(1).max(500).optional().describe('A question about the image, e.g. "what brand is this?"'),
    mode: z.enum(['describe', 'alt']).optional().describe('alt: one short sentence to use as alt text'),
  }),
  textField: 'question',
  accepts: ['image'],
  keywords: ['describe', 'what is in this image', "what's in this image", 'what is this picture', 'alt text', '描述', '这是什么图', '替代文字'],
  fromText: ({ head, body }) => {
    const text = (body || head.replace(/^[\s,，:：-]+/, '')).trim();
    return isQuestion(text) ? { question: text } : {};
  },
  run: async (input, ctx) => {
    const images = ctx.inbound.attachments.filter((file) => attachmentKind(file.mime, file.name) === 'image');
    if (images.length === 0) throw new UserError('no_image', 'Attach an image and I will describe it.');
    const request = imageRequest(input, ctx.inbound.text);
    const results: Array<Described | UserError> = [];
    for (const file of images) results.push(await describeImage(file, request, ctx, images.length > 1).catch(refusalOf(file, ctx)));
    const described = results.filter((result): result is Described => !(result instanceof UserError));
    const refused = results.filter((result): result is UserError => result instanceof UserError);
    const [firstRefusal] = refused;
    if (described.length === 0 && firstRefusal) {
      throw refused.length === 1 ? firstRefusal : new UserError(firstRefusal.code, refused.map((error) => error.message).join('\n'));
    }
    const lines = results.flatMap((result) => (result instanceof UserError ? [result.message] : result.lines));
    if (!ctx.models.has('caption')) lines.push(NO_CAPTION_MODEL);
    const served = described.map((result) => result.served).filter((one): one is Served => one !== undefined);
    const usage = served.reduce<Served['usage']>((sum, one) => addUsage(sum, one.usage), undefined);
    return {
      replies: [{ type: 'text', text: lines.join('\n') }],
      provider: served[0]?.provider ?? 'local',
      model: served[0]?.model ?? 'sharp',
      ...(usage ? { usage } : {}),
    };
  },
});

/** A file that can't be had or read is one line of the reply; the other images are still described. */
function refusalOf(file: Attachment, ctx: ToolContext): (error: unknown) => UserError {
  return (error) => {
    if (ctx.signal.aborted || !(error instanceof UserError)) throw error;
    return error instanceof ImageRefusal ? error.about(file.name) : error;
  };
}

async function describeImage(file: Attachment, request: ImageRequest, ctx: ToolContext, several: boolean): Promise<Described> {
  const original = await attachmentBytes(file, { maxBytes: MAX_IMAGE_BYTES, signal: ctx.signal });
  const image = await prepareImage(original);
  const captioning = ctx.models.has('caption');
  const caption = (prompt?: string) => ctx.models.caption({ image: image.bytes, mime: image.mime, ...(prompt ? { prompt } : {}) }, { signal: ctx.signal });
  const readText = async () => {
    const text = await ctx.models.readText({ image: OCR_READS_ORIGINAL.has(image.facts.format) ? original : image.bytes }, { signal: ctx.signal });
    return text?.replace(/\s+/g, ' ').trim() || undefined;
  };
  const named = (text: string) => (several ? `**${file.name}**: ${text}` : text);

  if (captioning && request.mode === 'question') {
    const answer = await caption(request.question);
    return { lines: [named(answer.text)], served: answer };
  }
  if (captioning && request.mode === 'alt') {
    const answer = await caption(ALT_PROMPT);
    return { lines: [named(altText(answer.text))], served: answer };
  }
  const [look, captioned, text] = await Promise.all([lookOf(image), captioning ? caption() : undefined, readText()]);
  if (request.mode === 'alt') return { lines: [named(altText(altFromFacts(image, look, text)))] };
  const lines = [factsLine(file.name, image, look)];
  if (captioned) lines.push(captioned.text);
  if (text) lines.push(`Text in the image: “${clip(text, MAX_QUOTED_TEXT)}”`);
  return { lines, ...(captioned ? { served: captioned } : {}) };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
