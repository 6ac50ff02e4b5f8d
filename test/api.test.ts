import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends, type TestDatabase } from './support/databases.js';
import { history, PARAGRAPH, postForm, postJson, type PostResult } from './support/http.js';
import { runsOf } from './support/runs.js';
import { startServer, type RunningServer } from './support/server.js';
import { fixture, IMAGE_FIXTURES } from './support/shared.js';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A user must never see how the bot is built. */
function expectNoInternals(result: PostResult): void {
  const raw = JSON.stringify(result.body);
  expect(raw).not.toMatch(/\bat .+:\d+:\d+|\/work\/|node_modules|\.ts\b|Error:/);
}

/** POST /api/messages as JSON written in pieces, so that it goes chunked, with no Content-Length. */
function postChunked(base: string, pieces: string[]): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const sent = request(`${base}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (response) => {
      answered = true;
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
    });
    // The server answers a body over the cap before reading the rest, and closes; the rest cannot be sent.
    sent.on('error', (error) => (answered ? undefined : reject(error)));
    for (const piece of pieces) sent.write(piece);
    sent.end();
  });
}

describe.each(backends)('the JSON API on $name', (backend) => {
  let database: TestDatabase;
  let server: RunningServer;

  beforeAll(async () => {
    database = await backend.open();
    server = await startServer(database, { MAX_FILE_MB: '1' });
  });
  afterAll(async () => {
    await server.close();
    await database.destroy();
  });

  async function newConversation(text = 'summarize: ' + PARAGRAPH, user = 'ann') {
    const result = await postJson(server.url, { text, user, name: 'Ann' });
    expect(result.status).toBe(200);
    return { id: result.body.conversation ?? '', result };
  }

  it('summarizes a text and keeps both sides of the exchange', async () => {
    const { id, result } = await newConversation();
    const reply = result.body.replies?.[0];
    expect(reply?.type).toBe('text');
    const bullets = reply?.text?.split('\n').filter((line) => line.startsWith('- ')) ?? [];
    expect(bullets.length).toBeGreaterThan(0);
    expect(bullets.length).toBeLessThan(6);
    for (const bullet of bullets) expect(PARAGRAPH).toContain(bullet.slice(2));
    const messages = await history(server.url, id);
    expect(messages.map((message) => message.direction)).toEqual(['in', 'out']);
    expect(messages[0]).toMatchObject({ text: 'summarize: ' + PARAGRAPH, user: { id: 'web:ann', name: 'Ann' } });
    expect(messages[1]?.replyTo).toBe(messages[0]?.id);
    const runs = await runsOf(database, messages[0]?.id);
    expect(runs).toMatchObject([{ tool: 'summarize', provider: 'local', model: 'extractive', outcome: 'ok' }]);
    expect(runs[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('summarizes the conversation so far, naming who said what', async () => {
    const { id } = await newConversation('The release is planned for Friday afternoon after the final review.', 'ann');
    await postJson(server.url, { conversation: id, user: 'bob', name: 'Bob', text: 'The migration guide still needs the database upgrade steps.' });
    await postJson(server.url, { conversation: id, user: 'cy', name: 'Cy', text: 'Marketing wants screenshots of the new dashboard by Thursday.' });
    const byRules = await postJson(server.url, { conversation: id, user: 'ann', name: 'Ann', text: 'summarize this conversation' });
    expect(byRules.body.replies?.[0]?.text).toMatch(/^Summary of the last 3 messages:\n- \*\*(Ann|Bob|Cy)\*\*: /);
    const all = await postJson(server.url, { conversation: id, user: 'ann', name: 'Ann', text: '/summarize --sentences 3' });
    expect(all.body.replies?.[0]?.text?.split('\n')).toEqual([
      'Summary of the last 4 messages:',
      '- **Ann**: The release is planned for Friday afternoon after the final review.',
      '- **Bob**: The migration guide still needs the database upgrade steps.',
      '- **Cy**: Marketing wants screenshots of the new dashboard by Thursday.',
    ]);
  });

  it('lists the registry in /help and runs /name commands', async () => {
    const tools = (await (await fetch(`${server.url}/api/tools`)).json()) as { tools: Array<{ name: string; usage: string }> };
    const help = (await postJson(server.url, { text: '/help' })).body.replies?.[0]?.text ?? '';
    for (const tool of tools.tools) expect(help).toContain(`/${tool.name}`);
    expect(tools.tools.find((tool) => tool.name === 'summarize')?.usage).toBe(
      '/summarize [text] [--sentences <1..10>] [--messages <1..1000>] [--hours <number>]',
    );
    const two = await postJson(server.url, { text: `/summarize --sentences 2 ${PARAGRAPH}` });
    expect(two.body.replies?.[0]?.text?.split('\n')).toHaveLength(2);
  });

  it('answers a mistyped command in the conversation, and stores it', async () => {
    const result = await postJson(server.url, { text: '/sumarize hello' });
    expect(result.status).toBe(200);
    expect(result.body.replies?.[0]?.text).toContain('Did you mean /summarize?');
    expect((await history(server.url, result.body.conversation ?? '')).map((m) => m.direction)).toEqual(['in', 'out']);
  });

  it('summarizes an uploaded text file', async () => {
    const result = await postForm(server.url, { user: 'ann' }, [{ name: 'notes.md', type: '', bytes: new TextEncoder().encode(PARAGRAPH) }]);
    expect(result.status).toBe(200);
    expect(result.body.replies?.[0]?.text).toMatch(/^- /);
  });

  it('describes an uploaded image and serves it back', async () => {
    const bytes = await fixture('320x240.jpg');
    const result = await postForm(server.url, { user: 'ann' }, [{ name: 'photo.jpg', type: 'image/jpeg', bytes }]);
    expect(result.status).toBe(200);
    expect(result.body.replies?.[0]?.text).toContain('**photo.jpg**: a 320×240 JPEG image (landscape)');
    const [message] = await history(server.url, result.body.conversation ?? '');
    const url = message?.attachments[0]?.url ?? '';
    const served = await fetch(`${server.url}${url}`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(bytes);
  });

  it('answers each real-world image with its facts or a clear reason', async () => {
    const expected: Record<string, string> = {
      'Portrait_8.jpg': 'a 450×600 JPEG image (portrait)',
      'Landscape_6.jpg': 'a 600×450 JPEG image (landscape)',
      'Channel_digital_image_CMYK_color.jpg': 'a 500×333 JPEG image',
      '16-bit-grey-alpha.png': 'with transparent parts',
      'full-transparent.png': 'fully transparent',
      'animated-loop-3.gif': '10 frames',
      'pitm.avif': 'AVIF image',
      'check.svg': 'a vector drawing',
      '65536-uint32-limit.png': "couldn't read 65536-uint32-limit.png: it is too large to open",
      'truncated.jpg': "couldn't read truncated.jpg: it isn't a readable image",
      'truncated.png': "couldn't read truncated.png: it isn't a readable image",
      'corrupt-header.jpg': "couldn't read corrupt-header.jpg: it isn't a readable image",
    };
    const names = (await readdir(IMAGE_FIXTURES)).filter((name) => !/^(SOURCE|LICENSE)/.test(name));
    expect(names.length).toBeGreaterThanOrEqual(Object.keys(expected).length);
    for (const name of names) {
      const result = await postForm(server.url, {}, [{ name, type: '', bytes: await fixture(name) }]);
      expect(result.status, name).toBe(200);
      const text = result.body.replies?.[0]?.text ?? '';
      expect(text, name).toMatch(new RegExp(`^\\*\\*${escape(name)}\\*\\*: a \\d+×\\d+ [A-Z]+ image|^I couldn't read ${escape(name)}: `));
      expect(text, name).toContain(expected[name] ?? name);
      expectNoInternals(result);
    }
  });

  it('answers a redelivered message once, with the first replies', async () => {
    const { id } = await newConversation();
    const first = await postJson(server.url, { conversation: id, id: 'client-42', text: 'summarize: ' + PARAGRAPH });
    const again = await postJson(server.url, { conversation: id, id: 'client-42', text: 'summarize: ' + PARAGRAPH });
    expect(again.body.duplicate).toBe(true);
    expect(again.body.replies).toEqual(first.body.replies);
    expect(await history(server.url, id)).toHaveLength(4);
  });

  it('stores two concurrent messages of one conversation both, in order, each before the next', async () => {
    const { id } = await newConversation();
    const texts = ['summarize: First point. Second point.', 'summarize: Third point. Fourth point.'];
    await Promise.all(texts.map((text) => postJson(server.url, { conversation: id, text })));
    const messages = (await history(server.url, id)).slice(2);
    expect(messages.map((message) => message.direction)).toEqual(['in', 'out', 'in', 'out']);
    expect(messages[1]?.replyTo).toBe(messages[0]?.id);
    expect(messages[3]?.replyTo).toBe(messages[2]?.id);
    expect(new Set([messages[0]?.text, messages[2]?.text])).toEqual(new Set(texts));
  });

  describe('bad input gets a clear error and leaves history alone', () => {
    let conversation: string;
    let before: number;

    beforeAll(async () => {
      conversation = (await newConversation()).id;
      before = (await history(server.url, conversation)).length;
    });

    it.each([
      ['empty text', { text: '' }, 400, 'empty_message'],
      ['whitespace', { text: ' \n\t ' }, 400, 'empty_message'],
      ['100,000 characters', { text: 'a'.repeat(100_000) }, 413, 'text_too_long'],
      ['a number for text', { text: 42 }, 400, 'invalid_request'],
      ['a bad conversation id', { conversation: '../etc', text: 'hi' }, 400, 'invalid_request'],
    ])('%s', async (_, body, status, code) => {
      const result = await postJson(server.url, { conversation, ...body });
      expect(result.status).toBe(status);
      expect(result.body.error?.code).toBe(code);
      expect(result.body.error?.message.length).toBeGreaterThan(10);
      expectNoInternals(result);
      expect(await history(server.url, conversation)).toHaveLength(before);
    });

    it('NUL characters, which Postgres cannot store, are dropped rather than failing', async () => {
      const result = await postJson(server.url, { conversation, name: 'A\u0000nn', text: 'summarize: One\u0000 sentence here. Another one there.' });
      expect(result.status).toBe(200);
      const stored = await history(server.url, conversation);
      expect(stored.at(-2)).toMatchObject({ text: 'summarize: One sentence here. Another one there.', user: { name: 'Ann' } });
      before = stored.length;
    });

    it('a file type nothing reads', async () => {
      const result = await postForm(server.url, { conversation, text: 'what is this' }, [
        { name: 'archive.zip', type: 'application/zip', bytes: new Uint8Array([80, 75, 3, 4]) },
      ]);
      expect(result.status).toBe(415);
      expect(result.body.error).toMatchObject({ code: 'unsupported_file' });
      expect(result.body.error?.message).toContain("can't do anything with .zip files");
      expect(await history(server.url, conversation)).toHaveLength(before);
    });

    it('a file over the size cap', async () => {
      const result = await postForm(server.url, { conversation }, [{ name: 'big.png', type: 'image/png', bytes: new Uint8Array(1_300_000) }]);
      expect(result.status).toBe(413);
      expect(result.body.error?.message).toBe('big.png is 1.2 MB; the limit is 1 MB.');
      const huge = await postForm(server.url, { conversation }, [{ name: 'huge.png', type: 'image/png', bytes: new Uint8Array(4_000_000) }]);
      expect(huge.status).toBe(413);
      expect(huge.body.error?.code).toBe('request_too_large');
      expect(await history(server.url, conversation)).toHaveLength(before);
    });

    it('a body sent in chunks, with no length declared, held to the same cap', async () => {
      const message = JSON.stringify({ conversation, text: 'summarize: ' + PARAGRAPH });
      const small = await postChunked(server.url, [message.slice(0, 10), message.slice(10)]);
      expect(small.status).toBe(200);
      expect(await history(server.url, conversation)).toHaveLength(before + 2);
      before += 2;
      const huge = await postChunked(server.url, ['{"text": "', ...Array.from({ length: 50 }, () => 'a'.repeat(65_536)), '"}']);
      expect(huge.status).toBe(413);
      expect(JSON.parse(huge.text)).toMatchObject({ error: { code: 'request_too_large' } });
      expect(await history(server.url, conversation)).toHaveLength(before);
    });

    it('malformed JSON and a body of the wrong type', async () => {
      const malformed = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"text": "hi"' });
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_json' } });
      const plain = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
      expect(plain.status).toBe(415);
      expect(await history(server.url, conversation)).toHaveLength(before);
    });

    it('an unknown conversation id', async () => {
      const post = await postJson(server.url, { conversation: 'doesNotExist123', text: 'hello' });
      expect(post.status).toBe(404);
      expect(post.body.error?.code).toBe('conversation_not_found');
      const get = await fetch(`${server.url}/api/conversations/doesNotExist123/messages`);
      expect(get.status).toBe(404);
      expect((await fetch(`${server.url}/api/conversations/bad!id/messages`)).status).toBe(400);
      expect((await fetch(`${server.url}/api/files/not-a-uuid`)).status).toBe(404);
    });

    it('an unknown address', async () => {
      const response = await fetch(`${server.url}/api/nothing`);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });

  it('forgets one user on request, after asking', async () => {
    const { id } = await newConversation('summarize: ' + PARAGRAPH, 'zed');
    await postJson(server.url, { conversation: id, user: 'amy', text: 'summarize: Amy was here. Amy stays.' });
    const ask = await postJson(server.url, { conversation: id, user: 'zed', text: '/forget' });
    expect(ask.body.replies?.[0]?.text).toContain('I have 3 messages, 1 tool run from you');
    expect(await history(server.url, id)).toHaveLength(6);
    const done = await postJson(server.url, { conversation: id, user: 'zed', text: '/forget confirm' });
    expect(done.body.replies?.[0]?.text).toMatch(/^Done\. I deleted 5 messages/);
    const left = await history(server.url, id);
    expect(left.map((message) => message.text)).toEqual(['summarize: Amy was here. Amy stays.', expect.stringContaining('Amy')]);
  });

  it('reports health', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
  });
});

describe('rate limiting', () => {
  it('refuses a user over the limit with Retry-After, and not others', async () => {
    const database = await backends[0]?.open();
    if (!database) throw new Error('no backend');
    const server = await startServer(database, { RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_BURST: '2' });
    try {
      const send = (user: string) => postJson(server.url, { user, text: '/help' });
      expect((await send('fast')).status).toBe(200);
      expect((await send('fast')).status).toBe(200);
      const refused = await send('fast');
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe('rate_limited');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await send('slow')).status).toBe(200);
    } finally {
      await server.close();
      await database.destroy();
    }
  });
});
