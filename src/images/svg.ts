import { ImageRefusal } from './refusal.js';

/** XML declarations, comments and a DOCTYPE may come before the root element. */
const PRELUDE = /^\s*(?:<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^[>]*(?:\[[\s\S]*?\])?\s*>)/i;
/** Every attribute that names another resource: href, xlink:href (any prefix), src. */
const REFERENCE = /\b(?:[\w.-]+:)?(?:href|src)\s*=\s*(["'])([\s\S]*?)\1/gi;
const CSS_URL = /url\(\s*(["']?)([\s\S]*?)\1\s*\)/gi;
/** Inside the file, or an embedded raster image: nothing librsvg would have to fetch or parse as another SVG. */
const SELF_CONTAINED = /^(?:#|data:image\/(?:png|jpeg|gif|webp)[;,])/i;
/** SVG size is in CSS pixels, which librsvg renders at 72 dpi. */
const BASE_DENSITY = 72;

/** Whether a text file is an SVG document: its root element, after any prelude, is `<svg`. */
export function isSvg(text: string): boolean {
  let rest = text;
  for (let prelude = PRELUDE.exec(rest); prelude; prelude = PRELUDE.exec(rest)) rest = rest.slice(prelude[0].length);
  return /^\s*<svg[\s>]/i.test(rest);
}

/**
 * Refuses an SVG that librsvg should not be given: one that declares XML entities (the
 * "billion laughs" expansion, or entities that pull in files) or that refers to anything outside
 * itself (images, stylesheets, fonts, other SVGs, by URL or file path). Such an SVG is refused,
 * not repaired: rewriting XML with patterns could leave a reference behind.
 */
export function checkSvg(bytes: Uint8Array): void {
  const text = new TextDecoder().decode(bytes);
  if (/<!ENTITY/i.test(text)) throw new ImageRefusal("it is an SVG that declares XML entities, which I don't render", { code: 'unsupported_file' });
  const references = [...text.matchAll(REFERENCE), ...text.matchAll(CSS_URL)].map((match) => (match[2] ?? '').trim());
  if (/@import/i.test(text) || references.some((reference) => !SELF_CONTAINED.test(reference))) {
    throw new ImageRefusal("it is an SVG that loads other files or web addresses, which I don't render", { code: 'unsupported_file' });
  }
}

/**
 * The density that renders an SVG of this intrinsic size with its long side at `side` pixels: a
 * tiny icon is drawn sharp at model size, and a drawing that declares itself 100,000 pixels wide
 * costs no more than one at model size. sharp takes densities from 1 to 100,000.
 */
export function svgDensity(width: number, height: number, side: number): number {
  const longSide = Math.max(width, height, 1);
  return Math.min(100_000, Math.max(1, (BASE_DENSITY * side) / longSide));
}
