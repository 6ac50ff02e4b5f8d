// How a file is shown, in a message or as a chip in the composer.

import { h } from './dom.js';

/** @typedef {{ name: string, mime: string, size: number, url: string | null, alt?: string }} AttachmentInfo */

/** What /api/files serves inline (anything else downloads), and so what an <img> can show. */
export const INLINE_IMAGE = /^image\/(png|jpeg|gif|webp|avif)$/i;

/** @param {number} bytes */
export function formatSize(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1_048_576) return `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/**
 * An image inline with its caption, or a file chip with name and size.
 * @param {AttachmentInfo} file
 * @param {'in' | 'out'} direction
 */
export function attachmentElement(file, direction) {
  if (file.url && INLINE_IMAGE.test(file.mime)) {
    const figure = h('figure', 'message-image');
    figure.dataset['testid'] = 'message-image';
    const link = h('a');
    link.href = file.url;
    link.target = '_blank';
    link.rel = 'noopener';
    const img = h('img');
    img.src = file.url;
    img.alt = file.alt ?? file.name;
    img.decoding = 'async';
    img.addEventListener('error', () => figure.classList.add('broken'), { once: true });
    link.append(img);
    const caption = h('figcaption', undefined, direction === 'out' ? (file.alt ?? file.name) : `${file.name} · ${formatSize(file.size)}`);
    figure.append(link, caption);
    return figure;
  }
  const chip = file.url ? h('a', 'file-chip') : h('span', 'file-chip');
  chip.dataset['testid'] = 'message-file';
  if (chip instanceof HTMLAnchorElement && file.url) {
    chip.href = file.url;
    chip.download = file.name;
  }
  chip.append(fileIcon(), h('span', 'file-name', file.name), h('span', 'file-size', formatSize(file.size)));
  chip.title = `${file.name} (${file.mime || 'unknown type'})`;
  return chip;
}

export function fileIcon() {
  const icon = h('span', 'file-icon');
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}
