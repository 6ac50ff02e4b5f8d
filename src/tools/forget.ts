import { z } from 'zod';
import type { UserDataCounts } from '../core/history.js';
import { defineTool } from '../core/tool.js';
import { plural } from './plural.js';

export const forget = defineTool({
  name: 'forget',
  description: 'Delete everything I have stored from you: messages, files, settings',
  input: z.object({ confirm: z.enum(['confirm']).optional().describe('Send "confirm" to delete; without it I only say what I have') }),
  textField: 'confirm',
  keywords: ['forget me', 'forget everything', 'delete my data', '删除我的数据', '忘记我'],
  // A message could talk a model into calling it; deleting takes the user's own command.
  modelCallable: false,
  // Free text only ever asks what would be deleted; deleting takes the explicit command.
  fromText: () => ({}),
  run: async (input, ctx) => {
    const user = ctx.inbound.user.id;
    if (input.confirm) {
      const deleted = await ctx.history.forgetUser(user);
      return { replies: [{ type: 'text', text: `Done. I deleted ${describe(deleted)}. I keep nothing else of yours.` }], keep: false };
    }
    const stored = await ctx.history.countUserData(user);
    const text = `I have ${describe(stored)} from you, counting this request and my replies to you. Send \`/forget confirm\` to delete all of it; that can't be undone.`;
    return { replies: [{ type: 'text', text }] };
  },
});

function describe(counts: UserDataCounts): string {
  const parts = [
    plural(counts.messages, 'message'),
    plural(counts.files, 'file'),
    plural(counts.toolRuns, 'tool run'),
    plural(counts.preferences, 'saved setting'),
  ];
  return parts.filter((part) => !part.startsWith('0 ')).join(', ') || 'nothing';
}
