// The side panel (commands and the user's name). On narrow screens it slides over the chat and is
// opened and closed with these controls; on wide ones it always shows.

import { ui } from './dom.js';

/** @param {boolean} [open] toggles when left out */
export function togglePanel(open) {
  const show = open ?? !document.body.classList.contains('panel-open');
  document.body.classList.toggle('panel-open', show);
  ui.panelToggle.setAttribute('aria-expanded', String(show));
  if (show) ui.panelClose.focus();
  else if (ui.panel.contains(document.activeElement)) ui.panelToggle.focus();
}

export function wirePanel() {
  ui.panelToggle.addEventListener('click', () => togglePanel());
  ui.panelClose.addEventListener('click', () => togglePanel(false));
  ui.panelBackdrop.addEventListener('click', () => togglePanel(false));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.classList.contains('panel-open')) togglePanel(false);
  });
}
