// The commands (the server's tools): the list in the side panel, and the suggestions shown above
// the message box while a "/" command is being typed.

import { fetchTools, readJson } from './api.js';
import { autosize } from './composer.js';
import { h, ui } from './dom.js';
import { togglePanel } from './panel.js';

/** @typedef {{ name: string, description: string, usage: string }} ToolInfo */

/** @type {ToolInfo[]} */
let tools = [];
/** The highlighted suggestion. */
let menuIndex = 0;

export async function loadTools() {
  try {
    const response = await fetchTools();
    const data = await readJson(response);
    if (!response.ok || !Array.isArray(data?.tools)) throw new Error(`status ${response.status}`);
    tools = /** @type {ToolInfo[]} */ (data.tools);
    renderCommandList();
  } catch {
    ui.commandsStatus.textContent = "Couldn't load the commands. Reload the page to try again.";
  }
}

function renderCommandList() {
  ui.commandsStatus.textContent = tools.length ? 'Click one to start a message with it, or type / in the message box.' : 'No commands are available.';
  ui.commandList.replaceChildren(
    ...tools.map((tool) => {
      const item = h('li');
      const button = h('button', 'command');
      button.type = 'button';
      button.dataset['testid'] = 'command';
      button.dataset['command'] = tool.name;
      button.append(h('span', 'command-name', `/${tool.name}`), h('span', 'command-description', tool.description));
      const usage = h('code', 'command-usage', tool.usage);
      button.append(usage);
      button.setAttribute('aria-label', `/${tool.name}: ${tool.description}. Usage: ${tool.usage}`);
      button.addEventListener('click', () => {
        insertCommand(tool.name);
        // Below this width (narrow-screens.css) the panel covers the message box.
        if (window.matchMedia('(max-width: 860px)').matches) togglePanel(false);
      });
      item.append(button);
      return item;
    }),
  );
}

/** Puts `/name ` at the start of the message, replacing a command already there. @param {string} name */
function insertCommand(name) {
  const rest = ui.text.value.replace(/^\/\S*\s*/, '');
  ui.text.value = `/${name} ${rest}`;
  hideMenu();
  ui.text.focus();
  const end = `/${name} `.length;
  ui.text.setSelectionRange(end, end);
  autosize();
}

/** The tools whose name starts with what is typed after "/", while no space has been typed yet. */
function menuMatches() {
  const match = /^\/(\S*)$/.exec(ui.text.value);
  if (!match) return null;
  const typed = (match[1] ?? '').toLowerCase();
  return tools.filter((tool) => tool.name.startsWith(typed));
}

export function updateMenu() {
  const matches = menuMatches();
  if (!matches || matches.length === 0) {
    hideMenu();
    return;
  }
  menuIndex = Math.min(menuIndex, matches.length - 1);
  ui.menu.replaceChildren(
    ...matches.map((tool, index) => {
      const option = h('div', 'menu-option');
      option.id = `command-option-${tool.name}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(index === menuIndex));
      option.dataset['testid'] = 'command-option';
      option.dataset['command'] = tool.name;
      option.append(h('span', 'command-name', `/${tool.name}`), h('span', 'command-description', tool.description), h('code', 'command-usage', tool.usage));
      option.addEventListener('mousedown', (event) => event.preventDefault());
      option.addEventListener('click', () => insertCommand(tool.name));
      return option;
    }),
  );
  if (ui.menu.hidden || ui.menuStatus.dataset['count'] !== String(matches.length)) {
    ui.menuStatus.dataset['count'] = String(matches.length);
    ui.menuStatus.textContent = `${matches.length} ${matches.length === 1 ? 'command matches' : 'commands match'}: arrow keys to choose, Tab to pick.`;
  }
  ui.menu.hidden = false;
  const selected = matches[menuIndex];
  if (selected) ui.text.setAttribute('aria-activedescendant', `command-option-${selected.name}`);
}

export function hideMenu() {
  ui.menu.hidden = true;
  ui.menu.replaceChildren();
  menuIndex = 0;
  ui.text.removeAttribute('aria-activedescendant');
  ui.menuStatus.textContent = '';
  delete ui.menuStatus.dataset['count'];
}

/** @param {KeyboardEvent} event @returns {boolean} whether the menu took the key */
export function menuKey(event) {
  if (ui.menu.hidden) return false;
  const matches = menuMatches() ?? [];
  if (matches.length === 0) return false;
  if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    const step = event.key === 'ArrowDown' ? 1 : -1;
    menuIndex = (menuIndex + step + matches.length) % matches.length;
    updateMenu();
    return true;
  }
  if (event.key === 'Escape') {
    hideMenu();
    return true;
  }
  const selected = matches[menuIndex];
  if (!selected) return false;
  const typedExactly = ui.text.value.slice(1).toLowerCase() === selected.name;
  if ((event.key === 'Tab' && !event.shiftKey) || (event.key === 'Enter' && !event.shiftKey && !typedExactly)) {
    insertCommand(selected.name);
    return true;
  }
  return false;
}
