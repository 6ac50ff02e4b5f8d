import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { AnySchemaObject } from 'ajv';
import { checkWith, createAjv, type BodyCheck } from './schema-validator.js';

export type HfTask = 'translation' | 'summarization' | 'image-to-text';

/**
 * The official HF task input specs ship in @huggingface/tasks. They are read from the copy that
 * @huggingface/inference itself resolves, so they match the client under test.
 */
const requireFromClient = createRequire(createRequire(import.meta.url).resolve('@huggingface/inference/package.json'));
const TASKS_DIR = join(dirname(requireFromClient.resolve('@huggingface/tasks/package.json')), 'src', 'tasks');

function loadSpec(file: string): AnySchemaObject {
  const spec = JSON.parse(readFileSync(join(TASKS_DIR, file), 'utf8')) as AnySchemaObject;
  // Draft-06 in name only (they use `$defs`); Ajv's default draft reads them as they are meant.
  delete spec.$schema;
  return spec;
}

/**
 * The specs leave objects open, and the real API ignores keys it does not know, so a misspelled or
 * misplaced option (`tgt_lang` beside `inputs` instead of in `parameters`) would silently do
 * nothing. The fake closes the top level and the declared parameter objects to catch that.
 */
function closed(spec: AnySchemaObject): AnySchemaObject {
  const defs = Object.fromEntries(
    Object.entries((spec.$defs ?? {}) as Record<string, AnySchemaObject>).map(([name, def]) => [name, { ...def, additionalProperties: false }]),
  );
  return { ...spec, $defs: defs, additionalProperties: false };
}

const ajv = createAjv();
ajv.addSchema(loadSpec('common-definitions.json'));
const checkJsonBody: Record<HfTask, BodyCheck> = {
  translation: checkWith(ajv, closed(loadSpec('translation/spec/input.json'))),
  summarization: checkWith(ajv, closed(loadSpec('summarization/spec/input.json'))),
  'image-to-text': checkWith(ajv, closed(loadSpec('image-to-text/spec/input.json'))),
};

/**
 * Checks a body posted to an HF task route. `body` is parsed JSON, or the raw bytes when the
 * request was not JSON. Image-to-text takes the image itself as the body (that is what the
 * client sends) or the JSON form of the spec.
 */
export function checkTaskRequest(task: HfTask, body: unknown): string[] {
  if (task === 'image-to-text' && body instanceof Uint8Array) {
    if (body.byteLength === 0) return ['(body) is empty; expected the image bytes'];
    return sniffImageType(body) ? [] : ['(body) is not an image (PNG, JPEG, GIF, WebP, BMP or TIFF)'];
  }
  if (body instanceof Uint8Array || body === undefined) return [`(body) must be JSON ({ inputs, parameters? }) for ${task}`];
  return checkJsonBody[task](body);
}

/** Recognizes an image by its magic bytes, as an inference server would before decoding it. */
export function sniffImageType(bytes: Uint8Array): string | undefined {
  const starts = (...signature: number[]) => signature.every((byte, i) => bytes[i] === byte);
  const ascii = (from: number, to: number) => String.fromCharCode(...bytes.subarray(from, to));
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'png';
  if (starts(0xff, 0xd8, 0xff)) return 'jpeg';
  if (ascii(0, 4) === 'GIF8') return 'gif';
  if (ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'webp';
  if (ascii(0, 2) === 'BM') return 'bmp';
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return 'tiff';
  return undefined;
}
