// What the page remembers between visits: the conversation, the user's id and their display name.

import { randomId } from './random-id.js';

const KEYS = { conversation: 'assistant.conversation', user: 'assistant.user', name: 'assistant.name' };

/** @param {string} key */
function read(key) {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

/** @param {string} key @param {string | null} value */
function write(key, value) {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Storage can be off (private mode, policy); the page still works for this visit.
  }
}

export function savedConversation() {
  return read(KEYS.conversation);
}

/** @param {string | null} id */
export function saveConversation(id) {
  write(KEYS.conversation, id);
}

function newUserId() {
  const id = randomId();
  write(KEYS.user, id);
  return id;
}

/** This browser's user id: made up on the first visit, and for this visit only when storage is off. */
export const userId = read(KEYS.user) || newUserId();

export function savedName() {
  return read(KEYS.name) ?? '';
}

/** @param {string | null} name */
export function saveName(name) {
  write(KEYS.name, name);
}
