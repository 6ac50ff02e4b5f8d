// A light Markdown renderer for the bot's replies. It builds DOM nodes, so nothing in a reply is
// ever parsed as HTML.

import { h } from './dom.js';

const INLINE = /`([^`\n]+)`|\*\*(?=\S)([^\n]*?\S)\*\*/g;
const FENCE_OPEN = /^\s{0,3}```\s*([\w+#.-]*)\s*$/;
const FENCE_CLOSE = /^\s{0,3}```\s*$/;
const BULLET = /^\s{0,3}- (.*)$/;

/**
 * `**bold**`, `` `code` ``, fenced code blocks, "- " bullets and line breaks.
 * @param {string} text
 */
export function renderMarkdown(text) {
  const fragment = document.createDocumentFragment();
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  /** @type {string[]} */
  let paragraph = [];
  /** @type {HTMLUListElement | null} */
  let list = null;
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    const p = h('p');
    paragraph.forEach((line, index) => {
      if (index > 0) p.append(h('br'));
      appendInline(p, line);
    });
    fragment.append(p);
    paragraph = [];
  };
  const flushList = () => {
    if (list) fragment.append(list);
    list = null;
  };
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const fence = FENCE_OPEN.exec(line);
    if (fence) {
      flushParagraph();
      flushList();
      /** @type {string[]} */
      const code = [];
      index++;
      while (index < lines.length && !FENCE_CLOSE.test(lines[index] ?? '')) {
        code.push(lines[index] ?? '');
        index++;
      }
      const pre = h('pre', 'code-block');
      const element = h('code', undefined, code.join('\n'));
      if (fence[1]) element.dataset['lang'] = fence[1];
      pre.append(element);
      fragment.append(pre);
      continue;
    }
    const bullet = BULLET.exec(line);
    if (bullet) {
      flushParagraph();
      list ??= h('ul');
      const item = h('li');
      appendInline(item, bullet[1] ?? '');
      list.append(item);
      continue;
    }
    flushList();
    if (line.trim() === '') flushParagraph();
    else paragraph.push(line);
  }
  flushParagraph();
  flushList();
  return fragment;
}

/** @param {HTMLElement} parent @param {string} text */
function appendInline(parent, text) {
  let at = 0;
  for (const match of text.matchAll(INLINE)) {
    if (match.index > at) parent.append(text.slice(at, match.index));
    if (match[1] !== undefined) {
      parent.append(h('code', 'inline-code', match[1]));
    } else {
      const strong = h('strong');
      appendInline(strong, match[2] ?? '');
      parent.append(strong);
    }
    at = match.index + match[0].length;
  }
  if (at < text.length) parent.append(text.slice(at));
}
