// The list of messages: where a new one goes, keeping the reader at the bottom as it grows, the
// empty state, and the bubble shown while the bot works.

import { ui } from './dom.js';
import { pendingBubble } from './messages.js';

/** @type {HTMLElement | null} */
let pending = null;
/** @type {string[]} Object URLs shown in messages, freed when the list is cleared. */
let objectUrls = [];
/** Whether the reader is at the bottom of the list, so that it stays there as images load. */
let stick = true;
/** Where scrollToBottom() last put the list; the scroll event that follows is not the reader's. */
let scrolledTo = 0;

/**
 * The pending bubble stays last, below anything added while it shows.
 * @param {HTMLElement} element @param {{ scroll?: 'always' | 'if-near' }} [options]
 */
export function appendMessage(element, options = {}) {
  const near = isNearBottom();
  const before = pending?.isConnected && element !== pending ? pending : null;
  ui.messages.insertBefore(element, before);
  ui.empty.hidden = true;
  if (options.scroll === 'always' || near) scrollToBottom();
}

/** Older messages go on top without moving what the reader is looking at. @param {HTMLElement[]} elements */
export function prependMessages(elements) {
  const height = ui.scroller.scrollHeight;
  ui.messages.prepend(...elements);
  ui.scroller.scrollTop += ui.scroller.scrollHeight - height;
}

/** @param {boolean} show */
export function showPending(show) {
  if (show && !pending) {
    pending = pendingBubble();
    appendMessage(pending, { scroll: 'always' });
  } else if (!show && pending) {
    pending.remove();
    pending = null;
  }
}

/** @param {string} url an object URL that a message shows */
export function keepObjectUrl(url) {
  objectUrls.push(url);
}

export function clearMessages() {
  ui.messages.replaceChildren();
  for (const url of objectUrls) URL.revokeObjectURL(url);
  objectUrls = [];
  updateEmptyState();
}

export function updateEmptyState() {
  ui.empty.hidden = ui.messages.childElementCount > 0;
}

function isNearBottom() {
  const { scrollTop, scrollHeight, clientHeight } = ui.scroller;
  return scrollHeight - scrollTop - clientHeight < 120;
}

export function scrollToBottom() {
  ui.scroller.scrollTop = ui.scroller.scrollHeight;
  stick = true;
  scrolledTo = ui.scroller.scrollTop;
}

/** Keeps the list at the bottom while it grows or shrinks, unless the reader has scrolled up. */
export function followNewMessages() {
  ui.scroller.addEventListener(
    'scroll',
    () => {
      if (Math.abs(ui.scroller.scrollTop - scrolledTo) <= 1) {
        scrolledTo = -1;
        return;
      }
      stick = isNearBottom();
    },
    { passive: true },
  );
  const stayAtBottom = new ResizeObserver(() => {
    if (stick) scrollToBottom();
  });
  stayAtBottom.observe(ui.messages);
  stayAtBottom.observe(ui.scroller);
}
