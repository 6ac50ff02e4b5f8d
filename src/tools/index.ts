import type { Tool } from '../core/tool.js';
import { describe } from './describe.js';
import { forget } from './forget.js';
import { createHelpTool } from './help.js';
import { summarize } from './summarize.js';

/** Every built-in tool, in the order help lists them and file kinds find their reader. */
export function builtinTools(): Tool[] {
  const tools: Tool[] = [];
  tools.push(
    createHelpTool(() => tools),
    summarize,
    describe,
    forget,
  );
  return tools;
}
