import { saveConversation, savedConversation } from './storage.js';

/** The conversation on screen; its id is null until the server starts one. */
export const conversation = {
  id: savedConversation(),
  /** Bumped by "New conversation", so that answers to the old one are dropped. */
  generation: 0,
};

/** @param {string | null} id */
export function setConversation(id) {
  conversation.id = id;
  saveConversation(id);
}
