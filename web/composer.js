// The message box and the files picked to go with it: typed, pasted, chosen with the attach button
// or dropped anywhere on the page.

import { INLINE_IMAGE, fileIcon, formatSize } from './attachments.js';
import { h, ui } from './dom.js';

/** @typedef {{ file: File, url: string | null }} PickedFile */

/** @type {PickedFile[]} */
let picked = [];
/** dragenter and dragleave fire for every element crossed, so the overlay shows while this is above 0. */
let dragDepth = 0;

const fieldSizing = typeof CSS !== 'undefined' && CSS.supports('field-sizing', 'content');

export function autosize() {
  if (fieldSizing) return;
  // CSSOM writes are allowed by the page's CSP (style attributes in markup are not).
  ui.text.style.height = 'auto';
  ui.text.style.height = `${Math.min(ui.text.scrollHeight, 240)}px`;
}

/** The files to send, each with the preview URL of an image (null for other files). */
export function pickedFiles() {
  return picked;
}

/** After sending; the preview URLs are not freed, the sent message shows them now. */
export function clearComposer() {
  ui.text.value = '';
  picked = [];
  renderChips();
  autosize();
}

/**
 * Puts what could not be sent back, so it can be fixed and sent again; not over anything typed or
 * picked since.
 * @param {string} text @param {File[]} files
 */
export function restoreComposer(text, files) {
  if (ui.text.value || picked.length > 0) return;
  ui.text.value = text;
  addFiles(files);
  autosize();
}

/** @param {Iterable<File>} files */
function addFiles(files) {
  for (const file of files) {
    const url = INLINE_IMAGE.test(file.type) ? URL.createObjectURL(file) : null;
    picked.push({ file, url });
  }
  renderChips();
}

/** @param {number} index */
function removeFile(index) {
  const [removed] = picked.splice(index, 1);
  if (removed?.url) URL.revokeObjectURL(removed.url);
  renderChips();
  ui.text.focus();
}

function renderChips() {
  ui.chips.replaceChildren(
    ...picked.map(({ file, url }, index) => {
      const item = h('li', 'picked-file');
      item.dataset['testid'] = 'file-chip';
      if (url) {
        const thumb = h('img', 'picked-thumb');
        thumb.src = url;
        thumb.alt = '';
        item.append(thumb);
      } else {
        item.append(fileIcon());
      }
      const label = h('span', 'picked-label');
      label.append(h('span', 'file-name', file.name), h('span', 'file-size', formatSize(file.size)));
      const remove = h('button', 'chip-remove', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', `Remove ${file.name}`);
      remove.dataset['testid'] = 'file-chip-remove';
      remove.addEventListener('click', () => removeFile(index));
      item.append(label, remove);
      return item;
    }),
  );
  ui.chips.hidden = picked.length === 0;
}

/** Files pasted into the message box, chosen with the attach button, or dropped on the page. */
export function acceptFiles() {
  ui.text.addEventListener('paste', (event) => {
    const files = event.clipboardData?.files;
    if (!files || files.length === 0) return;
    addFiles(Array.from(files));
    if (!event.clipboardData.types.includes('text/plain')) event.preventDefault();
  });

  ui.attach.addEventListener('click', () => ui.fileInput.click());
  ui.fileInput.addEventListener('change', () => {
    addFiles(Array.from(ui.fileInput.files ?? []));
    ui.fileInput.value = '';
    ui.text.focus();
  });

  window.addEventListener('dragenter', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth++;
    setDropState(true);
  });
  window.addEventListener('dragover', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', (event) => {
    if (!carriesFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (dragDepth === 0) setDropState(false);
  });
  window.addEventListener('drop', (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    setDropState(false);
    addFiles(Array.from(event.dataTransfer?.files ?? []));
    ui.text.focus();
  });
}

/** @param {DragEvent} event */
function carriesFiles(event) {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/** @param {boolean} on */
function setDropState(on) {
  ui.dropOverlay.hidden = !on;
  document.body.classList.toggle('dragging', on);
}
