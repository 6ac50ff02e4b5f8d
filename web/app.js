// The local chat page: plain DOM, no framework, no build step. This entry wires the page's controls
// to the modules that do the work, then loads the commands and the stored conversation.

import { hideMenu, loadTools, menuKey, updateMenu } from './commands.js';
import { acceptFiles, autosize } from './composer.js';
import { conversation, setConversation } from './conversation.js';
import { ui } from './dom.js';
import { forgetHistory, loadEarlier, loadHistory } from './history.js';
import { clearMessages, followNewMessages, updateEmptyState } from './message-list.js';
import { wirePanel } from './panel.js';
import { send, stopSending } from './sending.js';
import { saveName, savedName } from './storage.js';

ui.name.value = savedName();

function newConversation() {
  conversation.generation++;
  setConversation(null);
  stopSending();
  forgetHistory();
  clearMessages();
  ui.text.focus();
}

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  void send();
});

ui.text.addEventListener('keydown', (event) => {
  if (event.isComposing || event.keyCode === 229) return;
  if (menuKey(event)) {
    event.preventDefault();
    return;
  }
  if (event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey) {
    event.preventDefault();
    void send();
  }
});

ui.text.addEventListener('input', () => {
  autosize();
  updateMenu();
});
ui.text.addEventListener('blur', () => hideMenu());
ui.text.addEventListener('focus', () => updateMenu());

acceptFiles();
followNewMessages();
wirePanel();
ui.newConversation.addEventListener('click', () => newConversation());
ui.loadEarlier.addEventListener('click', () => void loadEarlier());
ui.name.addEventListener('input', () => saveName(ui.name.value.trim() || null));

autosize();
updateEmptyState();
void loadTools();
void loadHistory();
