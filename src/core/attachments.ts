import type { AttachmentKind } from './message.js';

const BY_EXTENSION: Record<string, AttachmentKind> = {
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  avif: 'image',
  heic: 'image',
  heif: 'image',
  tif: 'image',
  tiff: 'image',
  svg: 'image',
  bmp: 'image',
  txt: 'text',
  text: 'text',
  md: 'text',
  markdown: 'text',
  log: 'text',
  csv: 'table',
  tsv: 'table',
  json: 'table',
};

const BY_MIME: Record<string, AttachmentKind> = {
  'text/plain': 'text',
  'text/markdown': 'text',
  'text/x-markdown': 'text',
  'text/csv': 'table',
  'text/tab-separated-values': 'table',
  'application/json': 'table',
};

/**
 * What a file claims to be, from its declared type and then its extension (browsers and
 * platforms often send `application/octet-stream` or nothing for .md and .tsv). Tools that read
 * the bytes check them again.
 */
export function attachmentKind(mime: string, name: string): AttachmentKind | undefined {
  const type = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type.startsWith('image/')) return 'image';
  const byMime = BY_MIME[type];
  if (byMime) return byMime;
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
  return extension ? BY_EXTENSION[extension] : undefined;
}

export function describeKind(mime: string, name: string): string {
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1];
  return extension ? `.${extension.toLowerCase()}` : mime || 'this kind of';
}
