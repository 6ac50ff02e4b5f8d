// Sending what is in the composer, and showing the bot's answer as it is written, or why it failed.

import { errorText, NETWORK_ERROR, postMessage, readReply } from './api.js';
import { hideMenu } from './commands.js';
import { clearComposer, pickedFiles, restoreComposer } from './composer.js';
import { conversation, setConversation } from './conversation.js';
import { h, ui } from './dom.js';
import { appendMessage, keepObjectUrl, showPending } from './message-list.js';
import { botMessage, errorBubble, streamingBubble, userMessage } from './messages.js';
import { randomId } from './random-id.js';
import { userId } from './storage.js';

/** @typedef {import('./messages.js').ReplyPart} ReplyPart */

const DEFAULT_NAME = 'Guest';

/** @type {object | null} the request in flight */
let pending = null;
/** @type {{ id: string, text: string, files: File[] } | null} A send that failed on the network keeps its id, so resending the same thing is answered once. */
let retry = null;

function displayName() {
  return ui.name.value.trim() || DEFAULT_NAME;
}

/** @param {object | null} request */
function setPending(request) {
  pending = request;
  ui.send.disabled = request !== null;
  ui.composer.setAttribute('aria-busy', String(request !== null));
  showPending(request !== null);
}

/** For a new conversation: an answer still on its way is dropped, and nothing is resent. */
export function stopSending() {
  setPending(null);
  retry = null;
}

export async function send() {
  if (pending) return;
  const text = ui.text.value;
  const picked = pickedFiles();
  const files = picked.map((entry) => entry.file);
  if (!text.trim() && files.length === 0) {
    ui.text.focus();
    return;
  }
  hideMenu();
  const resend = retry && retry.text === text && sameFiles(retry.files, files) ? retry : null;
  const id = resend?.id ?? randomId();
  retry = null;
  const generation = conversation.generation;
  const request = {};

  const shownFiles = picked.map(({ file, url }) => {
    if (url) keepObjectUrl(url);
    return { name: file.name, mime: file.type, size: file.size, url };
  });
  const sent = userMessage(text, shownFiles, { author: displayName() });
  appendMessage(sent, { scroll: 'always' });
  clearComposer();
  setPending(request);

  /** @type {{ element: HTMLElement, append: (text: string) => void } | null} The answer so far, while it streams. */
  let live = null;
  /** @param {string} piece */
  const showText = (piece) => {
    if (generation !== conversation.generation) return;
    if (!live) {
      // The first words take the place of the "working on it" dots.
      showPending(false);
      live = streamingBubble();
      appendMessage(live.element, { scroll: 'always' });
    }
    live.append(piece);
  };

  try {
    let response = await postMessage({ text, files, id, conversation: conversation.id, user: userId, name: displayName() });
    let { data, failedInStream } = await readReply(response, showText);
    if (response.status === 404 && data?.error?.code === 'conversation_not_found' && conversation.id && generation === conversation.generation) {
      // The stored conversation is gone (deleted on the server): carry on in a new one.
      setConversation(null);
      response = await postMessage({ text, files, id, conversation: null, user: userId, name: displayName() });
      ({ data, failedInStream } = await readReply(response, showText));
    }
    if (generation !== conversation.generation) return;
    if (failedInStream) {
      // The message was taken, so it may be stored: sending it again keeps its id, to be answered once.
      retry = { id, text, files };
      failed(sent, text, files, errorText(data, 500));
      return;
    }
    if (!response.ok || !data || !Array.isArray(data.replies)) {
      failed(sent, text, files, errorText(data, response.status));
      return;
    }
    if (typeof data.conversation === 'string') setConversation(data.conversation);
    if (typeof data.message === 'string') sent.dataset['id'] = data.message;
    setPending(null);
    const reply = botMessage(/** @type {ReplyPart[]} */ (data.replies));
    // In the streamed answer's place, so a reader who scrolled up to read it is not moved.
    if (live) live.element.replaceWith(reply);
    else appendMessage(reply, { scroll: 'always' });
  } catch {
    if (generation !== conversation.generation) return;
    retry = { id, text, files };
    failed(sent, text, files, NETWORK_ERROR);
  } finally {
    // A partial answer that was cut off or failed is not kept; the error says what happened.
    live?.element.remove();
    if (pending === request) setPending(null);
  }
}

/**
 * The message stays on screen marked "not sent", the error shows under it, and what was sent goes
 * back into an empty composer so it can be fixed and sent again.
 * @param {HTMLElement} sent @param {string} text @param {File[]} files @param {string} message
 */
function failed(sent, text, files, message) {
  setPending(null);
  sent.classList.add('message-failed');
  const note = h('span', 'failed-note', 'Not sent');
  sent.querySelector('.message-meta')?.append(note);
  appendMessage(errorBubble(message), { scroll: 'always' });
  restoreComposer(text, files);
}

/** @param {File[]} a @param {File[]} b */
function sameFiles(a, b) {
  return a.length === b.length && a.every((file, index) => file === b[index]);
}
