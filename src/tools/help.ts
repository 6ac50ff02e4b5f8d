import { z } from 'zod';
import { UserError } from '../core/errors.js';
import { toolOptions, usage } from '../core/options.js';
import { defineTool, type Tool } from '../core/tool.js';

/** The help text comes from the tool declarations themselves, so it cannot drift from what the tools take. */
export function createHelpTool(tools: () => readonly Tool[]): Tool {
  return defineTool({
    name: 'help',
    description: 'List what I can do, or explain one command',
    input: z.object({ command: z.string().trim().optional().describe('A command to explain, such as summarize') }),
    textField: 'command',
    keywords: ['help', 'what can you do', 'commands', '帮助', '怎么用', '你能做什么'],
    fromText: () => ({}),
    run: (input) => {
      const all = tools();
      if (!input.command) {
        const lines = all.map((tool) => `- **/${tool.name}**: ${tool.description}`);
        const text = `Here's what I can do:\n${lines.join('\n')}\n\nYou can also just ask in words, e.g. "summarize this conversation". Send /help <command> for details.`;
        return Promise.resolve({ replies: [{ type: 'text', text }] });
      }
      const name = input.command.replace(/^\//, '').toLowerCase();
      const tool = all.find((candidate) => candidate.name === name);
      if (!tool) throw new UserError('unknown_command', `There is no /${name} command. Send /help for the list.`);
      const options = toolOptions(tool).map(
        (option) => `- ${option.isText ? option.name : `--${option.name}`} (${option.type}${option.required ? '' : ', optional'}): ${option.description ?? ''}`,
      );
      const text = [`**/${tool.name}**: ${tool.description}`, `Usage: \`${usage(tool)}\``, ...options].join('\n');
      return Promise.resolve({ replies: [{ type: 'text', text }] });
    },
  });
}
