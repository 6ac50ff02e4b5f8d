import type { Tool } from '../core/tool.js';
import { ask } from './ask.js';
import { chart } from './chart/tool.js';
import { describe } from './describe.js';
import { forget } from './forget.js';
import { createHelpTool } from './help.js';
import { summarize } from './summarize.js';
import { translate } from './translate/translate-tool.js';

/** Every built-in tool, in the order help lists them and file kinds find their reader. */
export function builtinTools(): Tool[] {
  const tools: Tool[] = [];
  tools.push(
    createHelpTool(() => tools),
    ask,
    translate,
    summarize,
    describe,
    chart,
    forget,
  );
  return tools;
}
