import { describe, expect, it } from 'vitest';
import { reply } from '../fakes/inference-server.js';
import { chatBody, chatRequests, useHostedServer, useLocalServer } from '../support/hosted.js';
import { postJson, postStream } from '../support/http.js';
import { toolFailure } from '../support/runs.js';

describe('ask', () => {
  const setup = useHostedServer();
  const lastChat = () => chatBody(chatRequests(setup.hosted).at(-1));

  it('answers with the conversation as context and no tools, code fences intact', async () => {
    const first = await postJson(setup.server.url, { user: 'ann', name: 'Ann', text: 'We write our scripts in Python.' });
    const answer = 'Use slicing:\n\n```python\nitems = [1, 2, 3]\nprint(items[::-1])\n```\n\nIt returns a new list.';
    setup.hosted.script('chat', reply.text(answer));
    const result = await postJson(setup.server.url, { conversation: first.body.conversation, user: 'ann', name: 'Ann', text: '/ask How do I reverse a list?' });
    expect(result.body.replies?.[0]?.text).toBe(answer);
    const sent = lastChat();
    expect(sent.tools).toBeUndefined();
    expect(String(sent.messages[0]?.content)).toContain('Answer the question');
    expect(sent.messages.slice(1).map((message) => message.content)).toEqual([
      'Ann: We write our scripts in Python.',
      'echo: Ann: We write our scripts in Python.',
      'Ann: How do I reverse a list?',
    ]);
  });

  it('streams the answer as it comes', async () => {
    setup.hosted.script('chat', reply.chat(['```js\n', 'console.log(1)\n', '```'], { chunkDelayMs: 50 }));
    const events = await postStream(setup.server.url, { user: 'ann', text: '/ask print one in JS' });
    const deltas = events.filter((event) => event.event === 'delta').map((event) => (event.data as { text: string }).text);
    expect(deltas).toEqual(['```js\n', 'console.log(1)\n', '```']);
    expect((events.at(-1)?.data as { replies: Array<{ text: string }> }).replies[0]?.text).toBe('```js\nconsole.log(1)\n```');
    expect(lastChat().stream).toBe(true);
  });

  it('asks for a question when there is none', async () => {
    const result = await postJson(setup.server.url, { user: 'ann', text: '/ask   ' });
    expect(await toolFailure(setup.database, result)).toEqual({ code: 'empty_question', text: expect.stringContaining('Ask me something') as string });
  });
});

describe('ask with no model configured', () => {
  const setup = useLocalServer();

  it('says what to configure, whether asked by command or by keyword', async () => {
    for (const text of ['/ask what is a monad?', '请问：什么是单子？']) {
      const { code, text: answer } = await toolFailure(setup.database, await postJson(setup.server.url, { user: 'ann', text }));
      expect(code).toBe('no_model');
      expect(answer).toContain('MODEL_ENDPOINT_URL');
    }
  });
});
