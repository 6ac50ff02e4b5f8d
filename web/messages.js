// The message bubbles: the user's, the bot's, an error, the "working on it" one and an answer
// still being written.

import { attachmentElement } from './attachments.js';
import { h } from './dom.js';
import { renderMarkdown } from './markdown.js';

/**
 * @typedef {import('./attachments.js').AttachmentInfo} AttachmentInfo
 * @typedef {{ type: 'text', text: string } | { type: 'image', url: string, alt: string, mime: string, name?: string, size?: number }} ReplyPart
 */

const BOT_NAME = 'Assistant';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** @param {Date} date */
function formatTime(date) {
  const today = new Date();
  const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
  return (sameDay ? timeFormat : dateTimeFormat).format(date);
}

/**
 * @param {{ direction: 'in' | 'out', author: string, time?: Date | null, id?: string | null }} options
 */
function messageShell({ direction, author, time, id }) {
  const article = h('article', `message message-${direction}`);
  article.dataset['testid'] = 'message';
  article.dataset['direction'] = direction;
  if (id) article.dataset['id'] = id;
  if (direction === 'out') article.append(avatar());
  const column = h('div', 'message-column');
  const meta = h('header', 'message-meta');
  const name = h('span', 'message-author', author);
  name.dataset['testid'] = 'message-author';
  meta.append(name);
  if (time) {
    const stamp = h('time', 'message-time', formatTime(time));
    stamp.dateTime = time.toISOString();
    stamp.title = time.toLocaleString();
    meta.append(stamp);
  }
  const body = h('div', 'message-body');
  body.dataset['testid'] = 'message-body';
  column.append(meta, body);
  article.append(column);
  return { article, body };
}

function avatar() {
  const mark = h('span', 'avatar', 'A');
  mark.setAttribute('aria-hidden', 'true');
  return mark;
}

/**
 * @param {string} text
 * @param {AttachmentInfo[]} attachments
 * @param {{ author: string, time?: Date | null, id?: string | null }} options
 */
export function userMessage(text, attachments, options) {
  const { article, body } = messageShell({ direction: 'in', author: options.author, time: options.time ?? new Date(), id: options.id ?? null });
  if (text) body.append(h('p', 'plain-text', text));
  if (attachments.length) {
    const files = h('div', 'message-attachments');
    for (const file of attachments) files.append(attachmentElement(file, 'in'));
    body.append(files);
  }
  return article;
}

/**
 * @param {ReplyPart[]} parts
 * @param {{ time?: Date | null, id?: string | null }} [options]
 */
export function botMessage(parts, options = {}) {
  const { article, body } = messageShell({ direction: 'out', author: BOT_NAME, time: options.time ?? new Date(), id: options.id ?? null });
  for (const part of parts) {
    if (part.type === 'text') {
      const text = h('div', 'rich-text');
      text.append(renderMarkdown(part.text));
      body.append(text);
    } else {
      body.append(attachmentElement({ name: part.name ?? part.alt, mime: part.mime, size: part.size ?? 0, url: part.url, alt: part.alt }, 'out'));
    }
  }
  if (parts.length === 0) body.append(h('p', 'muted', '(no reply)'));
  return article;
}

/**
 * A bot bubble that is not a stored message (an error, the pending dots, a reply being written):
 * it has no direction, so it is left out of the counts of messages.
 * @param {string} modifier
 * @param {string} testid
 * @param {Date} [time]
 */
function botStatusShell(modifier, testid, time) {
  const shell = messageShell({ direction: 'out', author: BOT_NAME, time });
  shell.article.className = `message message-out ${modifier}`;
  shell.article.dataset['testid'] = testid;
  delete shell.article.dataset['direction'];
  return shell;
}

/** @param {string} message */
export function errorBubble(message) {
  const { article, body } = botStatusShell('message-error', 'error-message', new Date());
  article.setAttribute('role', 'alert');
  body.append(h('p', 'plain-text', message));
  return article;
}

export function pendingBubble() {
  const { article, body } = botStatusShell('message-pending', 'pending');
  article.setAttribute('role', 'status');
  const dots = h('span', 'typing');
  dots.setAttribute('aria-hidden', 'true');
  dots.append(h('span'), h('span'), h('span'));
  body.append(dots, h('span', 'visually-hidden', `${BOT_NAME} is working on it…`));
  return article;
}

/**
 * The bot's answer while it is written, as plain text; the finished reply, rendered, replaces it.
 * @returns {{ element: HTMLElement, append: (text: string) => void }}
 */
export function streamingBubble() {
  const { article, body } = botStatusShell('message-streaming', 'streaming-message');
  // Screen readers wait for the finished reply that replaces this bubble, rather than reading out each piece.
  article.setAttribute('aria-busy', 'true');
  const paragraph = h('p', 'plain-text');
  const text = document.createTextNode('');
  paragraph.append(text);
  body.append(paragraph);
  return { element: article, append: (more) => text.appendData(more) };
}
