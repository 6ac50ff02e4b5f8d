import type { Tool } from '../core/tool.js';
import { createAskTool } from './ask.js';
import { chart } from './chart/tool.js';
import { describe } from './describe.js';
import { forget } from './forget.js';
import { createHelpTool } from './help.js';
import { summarize } from './summarize.js';
import { translate } from './translate/translate-tool.js';

export interface ToolSettings {
  /** How much of the conversation goes with a question to the chat model (about 4 characters a token). */
  historyChars: number;
}

/** Every built-in tool, in the order help lists them and file kinds find their reader. */
export function builtinTools(settings: ToolSettings): Tool[] {
  const tools: Tool[] = [];
  tools.push(
    createHelpTool(() => tools),
    createAskTool(settings.historyChars),
    translate,
    summarize,
    describe,
    chart,
    forget,
  );
  return tools;
}
