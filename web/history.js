// A stored conversation, shown again: its latest messages when the page opens, and older ones on
// "Show earlier messages".

import { errorText, fetchMessages, NETWORK_ERROR, readJson } from './api.js';
import { formatSize, INLINE_IMAGE } from './attachments.js';
import { conversation, setConversation } from './conversation.js';
import { h, ui } from './dom.js';
import { appendMessage, prependMessages, scrollToBottom, updateEmptyState } from './message-list.js';
import { botMessage, errorBubble, userMessage } from './messages.js';

/**
 * @typedef {import('./attachments.js').AttachmentInfo} AttachmentInfo
 * @typedef {import('./messages.js').ReplyPart} ReplyPart
 * @typedef {{ id: string, direction: 'in' | 'out', user: { id: string, name: string }, text: string,
 *   attachments: AttachmentInfo[], replyTo: string | null, createdAt: string }} StoredMessage
 */

const HISTORY_PAGE = 100;

/** @type {string | null} The oldest message shown, for "Show earlier messages". */
let oldestId = null;

/**
 * Consecutive replies to the same message show as one bot message, as they do right after sending.
 * @param {StoredMessage[]} messages
 */
function historyElements(messages) {
  /** @type {HTMLElement[]} */
  const elements = [];
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index];
    if (!message) continue;
    const time = new Date(message.createdAt);
    if (message.direction === 'in') {
      elements.push(userMessage(message.text, message.attachments, { author: message.user.name, time, id: message.id }));
      continue;
    }
    const group = [message];
    while (message.replyTo !== null) {
      const next = messages[index + 1];
      if (!next || next.direction !== 'out' || next.replyTo !== message.replyTo) break;
      group.push(next);
      index++;
    }
    /** @type {ReplyPart[]} */
    const parts = group.flatMap((reply) => [
      ...(reply.text ? [{ type: /** @type {const} */ ('text'), text: reply.text }] : []),
      ...reply.attachments.map((file) =>
        file.url && INLINE_IMAGE.test(file.mime)
          ? { type: /** @type {const} */ ('image'), url: file.url, alt: file.alt ?? file.name, mime: file.mime, name: file.name, size: file.size }
          : { type: /** @type {const} */ ('text'), text: `Attached: ${file.name} (${formatSize(file.size)})` },
      ),
    ]);
    elements.push(botMessage(parts, { time, id: message.id }));
  }
  return elements;
}

export async function loadHistory() {
  const id = conversation.id;
  const generation = conversation.generation;
  if (!id) {
    updateEmptyState();
    return;
  }
  const loading = h('p', 'history-status', 'Loading the conversation…');
  loading.dataset['testid'] = 'history-loading';
  ui.messages.append(loading);
  try {
    const response = await fetchMessages(id, HISTORY_PAGE);
    if (generation !== conversation.generation) return;
    if (response.status === 404 || response.status === 400) {
      // Gone (or never valid): start fresh, quietly.
      setConversation(null);
      return;
    }
    const data = await readJson(response);
    if (!response.ok) {
      appendMessage(errorBubble(errorText(data, response.status)));
      return;
    }
    const messages = /** @type {StoredMessage[]} */ (data?.messages ?? []);
    ui.messages.append(...historyElements(messages));
    oldestId = messages[0]?.id ?? null;
    ui.loadEarlier.hidden = messages.length < HISTORY_PAGE;
    scrollToBottom();
  } catch {
    if (generation === conversation.generation) appendMessage(errorBubble("I couldn't load this conversation from the server. Reload the page to try again."));
  } finally {
    loading.remove();
    if (generation === conversation.generation) updateEmptyState();
  }
}

export async function loadEarlier() {
  const id = conversation.id;
  if (!id || !oldestId) return;
  const generation = conversation.generation;
  ui.loadEarlier.disabled = true;
  try {
    const response = await fetchMessages(id, HISTORY_PAGE, oldestId);
    const data = await readJson(response);
    if (generation !== conversation.generation) return;
    if (!response.ok) {
      appendMessage(errorBubble(errorText(data, response.status)));
      return;
    }
    const messages = /** @type {StoredMessage[]} */ (data?.messages ?? []);
    prependMessages(historyElements(messages));
    oldestId = messages[0]?.id ?? oldestId;
    ui.loadEarlier.hidden = messages.length < HISTORY_PAGE;
  } catch {
    appendMessage(errorBubble(NETWORK_ERROR));
  } finally {
    ui.loadEarlier.disabled = false;
  }
}

/** For a new conversation: nothing earlier to show. */
export function forgetHistory() {
  oldestId = null;
  ui.loadEarlier.hidden = true;
}
