// The page's fixed elements, looked up once, and the one way new elements are made. Text from users
// and the bot only ever goes onto the page as text nodes (textContent, append(string)), never as HTML.

/** @param {string} id */
function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`#${id} is missing from the page`);
  return element;
}

export const ui = {
  scroller: byId('scroller'),
  messages: byId('messages'),
  empty: byId('empty-state'),
  loadEarlier: /** @type {HTMLButtonElement} */ (byId('load-earlier')),
  composer: /** @type {HTMLFormElement} */ (byId('composer')),
  text: /** @type {HTMLTextAreaElement} */ (byId('composer-text')),
  send: /** @type {HTMLButtonElement} */ (byId('send')),
  attach: byId('attach'),
  fileInput: /** @type {HTMLInputElement} */ (byId('file-input')),
  chips: byId('file-chips'),
  menu: byId('command-menu'),
  menuStatus: byId('command-menu-status'),
  commandList: byId('command-list'),
  commandsStatus: byId('commands-status'),
  newConversation: byId('new-conversation'),
  panel: byId('side-panel'),
  panelToggle: byId('panel-toggle'),
  panelClose: byId('panel-close'),
  panelBackdrop: byId('panel-backdrop'),
  name: /** @type {HTMLInputElement} */ (byId('display-name')),
  dropOverlay: byId('drop-overlay'),
};

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [className]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined) element.textContent = text;
  return element;
}
