import { readdirSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

const ASSETS = fileURLToPath(new URL('../../../web/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface Asset {
  /** The path it is served at: "/" for index.html, "/<name>" for the rest. */
  path: string;
  type: string;
  body: string;
}

/** The chat page's files (web/*.html, *.js, *.css), read once at start-up. */
export function loadPageAssets(): Asset[] {
  return readdirSync(ASSETS)
    .filter((name) => TYPES[extname(name)])
    .map((name) => ({
      path: name === 'index.html' ? '/' : `/${name}`,
      type: TYPES[extname(name)] ?? 'text/plain',
      body: readFileSync(`${ASSETS}${name}`, 'utf8'),
    }));
}

export const PAGE_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
