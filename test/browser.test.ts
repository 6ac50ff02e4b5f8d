import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reply, startFakeInference, type FakeInference } from './fakes/inference-server.js';
import { openTestPglite, type TestDatabase } from './support/databases.js';
import { HF_TEST_TOKEN } from './support/hosted.js';
import { history, type HistoryMessage } from './support/http.js';
import { startServer, type RunningServer } from './support/server.js';
import { IMAGE_FIXTURES } from './support/shared.js';

const CHROMIUM = '/usr/bin/chromium';
const IMAGE = join(IMAGE_FIXTURES, '320x240.jpg');
/** Describing an image reads the text in it; Tesseract can take seconds on a busy machine. */
const DESCRIBE_TIMEOUT_MS = 15_000;
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser) console.log(`skipped: the web chat browser suite (${CHROMIUM} is not installed; .ci/install-browser installs it)`);

const PARAGRAPH = [
  'The river town grew around a wooden bridge built by traders in the twelfth century.',
  'Merchants crossed it every morning with salt, wool and dried fish for the weekly market.',
  'In the spring floods of 1342 the bridge was swept away and the market moved upstream for a decade.',
  'The town council then paid masons to build a stone bridge with five arches, which still stands today.',
  'Toll money from the new bridge paid for a school, a hospital and the first paved streets.',
  'Today the old market square hosts a festival every June that remembers the flood and the rebuilding.',
  'Visitors can walk across the stone bridge and read the names of the masons carved into its parapet.',
].join(' ');

/** The few DOM members the in-page callbacks read (the project's TypeScript setup has no DOM library). */
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
}
interface PageImage {
  complete: boolean;
  naturalWidth: number;
}

interface ApiTool {
  name: string;
  description: string;
  usage: string;
}

/** How many messages the page shows for a stored conversation: replies to one message share a bubble, as in web/history.js. */
function shownCount(messages: HistoryMessage[]): number {
  return messages.filter((message, index) => {
    const previous = messages[index - 1];
    return !(message.direction === 'out' && message.replyTo !== null && previous?.direction === 'out' && previous.replyTo === message.replyTo);
  }).length;
}

/** A reply's Markdown as the page shows it: bold and code marks gone. */
function withoutMarks(markdown: string): string {
  return markdown.replace(/\*\*|`/g, '');
}

const messagesOn = (target: Page, direction: 'in' | 'out') => target.locator(`[data-testid="message"][data-direction="${direction}"]`);

/** Each message on the page: its direction and the text of its body. */
const readMessages = (target: Page) =>
  target
    .getByTestId('message')
    .evaluateAll((items: PageElement[]) =>
      items.map((item) => ({ direction: item.getAttribute('data-direction'), text: item.querySelector('[data-testid="message-body"]')?.textContent })),
    );

async function storedConversationOn(target: Page, origin: string): Promise<string | null> {
  const { origins } = await target.context().storageState();
  return origins.find((entry) => entry.origin === origin)?.localStorage.find((item) => item.name === 'assistant.conversation')?.value ?? null;
}

describe.skipIf(!hasBrowser)('web chat page in a browser', () => {
  let db: TestDatabase;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  /** Closed in reverse order, whatever got opened before a failure. */
  const cleanup: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const launching = chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
    cleanup.push(async () => (await launching.catch(() => undefined))?.close());
    db = await openTestPglite();
    cleanup.push(() => db.destroy());
    server = await startServer(db);
    cleanup.push(() => server.close());
    browser = await launching;
    page = await openPage(server);
  });

  async function openPage(target: RunningServer): Promise<Page> {
    const opened = await browser.newPage({ baseURL: target.url, viewport: { width: 1200, height: 900 } });
    opened.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
    // A 4xx answer is also logged as a console error; a CSP refusal or a script error is not one of those.
    opened.on('console', (message) => {
      if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
    });
    return opened;
  }

  afterAll(async () => {
    for (const close of cleanup.reverse()) await close();
  });

  const messages = (direction: 'in' | 'out') => messagesOn(page, direction);
  const input = () => page.getByTestId('composer-input');
  const storedConversation = () => storedConversationOn(page, server.url);

  it('loads the command list from the tool registry; a command inserts its name', async () => {
    const { tools } = (await (await fetch(`${server.url}/api/tools`)).json()) as { tools: ApiTool[] };
    expect(tools.length).toBeGreaterThan(0);
    await page.goto('/');
    await expect.poll(() => page.getByTestId('command').count()).toBe(tools.length);
    const shown = await page.getByTestId('command').evaluateAll((buttons) =>
      (buttons as PageElement[]).map((button) => ({
        name: button.querySelector('.command-name')?.textContent,
        description: button.querySelector('.command-description')?.textContent,
        usage: button.querySelector('.command-usage')?.textContent,
      })),
    );
    expect(shown).toEqual(tools.map((tool) => ({ name: `/${tool.name}`, description: tool.description, usage: tool.usage })));

    const first = tools[0];
    if (!first) throw new Error('no tools');
    await page.locator(`[data-testid="command"][data-command="${first.name}"]`).click();
    expect(await input().inputValue()).toBe(`/${first.name} `);
    await expect.poll(() => page.locator('#composer-text:focus').count()).toBe(1);

    // Typing "/" and a prefix lists the matching commands above the text box.
    await input().fill('');
    await input().pressSequentially(`/${first.name.slice(0, 2)}`);
    const options = await page.getByTestId('command-option').evaluateAll((items: PageElement[]) => items.map((item) => item.getAttribute('data-command')));
    expect(options).toEqual(tools.filter((tool) => tool.name.startsWith(first.name.slice(0, 2))).map((tool) => tool.name));
    await input().press('Escape');
    expect(await page.getByTestId('command-menu').isHidden()).toBe(true);
    await input().fill('');
  });

  it('takes files dropped on the page, with a visible drop state, as removable chips', async () => {
    // A DataTransfer can only be made in the page; the expression is a string because the TypeScript setup has no DOM library.
    const dataTransfer = await page.evaluateHandle(`(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['some notes'], 'notes.txt', { type: 'text/plain' }));
      return transfer;
    })()`);
    await page.dispatchEvent('#composer', 'dragenter', { dataTransfer });
    expect(await page.getByTestId('drop-overlay').isVisible()).toBe(true);
    await page.dispatchEvent('#composer', 'drop', { dataTransfer });
    expect(await page.getByTestId('drop-overlay').isHidden()).toBe(true);
    expect(await page.getByTestId('file-chip').innerText()).toContain('notes.txt');
    await page.getByRole('button', { name: 'Remove notes.txt' }).click();
    expect(await page.getByTestId('file-chip').count()).toBe(0);
    expect(await page.getByTestId('message').count()).toBe(0);
  });

  it('sends text with Enter, shows a pending indicator, then the bot reply with bullets', async () => {
    // The answer is held until the pending indicator has been seen, so nothing depends on timing.
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/messages', async (route: Route) => {
      await held;
      await route.continue();
    });
    await input().fill(`summarize: ${PARAGRAPH}`);
    await input().press('Enter');
    await page.getByTestId('pending').waitFor();
    expect(await messages('in').last().getByTestId('message-body').innerText()).toBe(`summarize: ${PARAGRAPH}`);
    expect(await page.getByTestId('send-button').isDisabled()).toBe(true);
    expect(await input().inputValue()).toBe('');
    release();
    await messages('out').first().waitFor();
    await page.unroute('**/api/messages');
    expect(await page.getByTestId('pending').count()).toBe(0);

    const reply = messages('out').last();
    expect(await reply.getByTestId('message-author').innerText()).toBe('Assistant');
    const bullets = await reply.locator('ul > li').allInnerTexts();
    expect(bullets.length).toBeGreaterThanOrEqual(2);
    expect(bullets.length).toBeLessThan(PARAGRAPH.split('. ').length);
    for (const bullet of bullets) expect(PARAGRAPH).toContain(bullet.trim());
    // Rendered as a list, not as Markdown source.
    expect(await reply.innerText()).not.toMatch(/^- /m);
    expect(await storedConversation()).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  it('keeps user text as typed (Shift+Enter is a new line) and renders bold from the bot', async () => {
    const before = await messages('in').count();
    const outBefore = await messages('out').count();
    await input().pressSequentially('Hi <b>there</b> & **not bold**');
    await input().press('Shift+Enter');
    await input().pressSequentially('second line');
    expect(await input().inputValue()).toBe('Hi <b>there</b> & **not bold**\nsecond line');
    expect(await messages('in').count()).toBe(before);
    await input().press('Enter');
    await expect.poll(() => messages('out').count()).toBe(outBefore + 1);
    const mine = messages('in').last();
    expect(await mine.getByTestId('message-body').innerText()).toBe('Hi <b>there</b> & **not bold**\nsecond line');
    expect(await mine.locator('b, strong').count()).toBe(0);
    // Free text nobody claims gets the help list: "- **/name**: description" lines.
    const { tools } = (await (await fetch(`${server.url}/api/tools`)).json()) as { tools: ApiTool[] };
    const help = messages('out').last();
    expect(await help.locator('li strong').allInnerTexts()).toEqual(tools.map((tool) => `/${tool.name}`));
  });

  it('uploads an image with no text: shows it inline and the description of it', async () => {
    const meta = await sharp(IMAGE).metadata();
    const name = basename(IMAGE);
    // What the describe tool says about this image, asked directly (in a conversation of its own).
    const form = new FormData();
    form.append('text', '');
    form.append('files', new Blob([await readFile(IMAGE)], { type: 'image/jpeg' }), name);
    const direct = (await (await fetch(`${server.url}/api/messages`, { method: 'POST', body: form })).json()) as { replies: Array<{ text?: string }> };
    const expected = direct.replies.map((part) => part.text ?? '').join('\n');
    expect(expected).toContain(`${meta.width}×${meta.height} ${meta.format.toUpperCase()}`);

    const outBefore = await messages('out').count();
    await page.getByTestId('file-input').setInputFiles(IMAGE);
    await expect.poll(() => page.getByTestId('file-chip').innerText()).toContain(name);
    await page.getByTestId('send-button').click();
    await messages('out').nth(outBefore).waitFor({ timeout: DESCRIBE_TIMEOUT_MS });
    expect(await messages('out').count()).toBe(outBefore + 1);
    expect(await page.getByTestId('file-chip').count()).toBe(0);

    const mine = messages('in').last();
    const image = mine.locator('img');
    await expect.poll(() => image.evaluate((img: PageImage) => img.complete && img.naturalWidth)).toBe(meta.width);
    expect(await image.getAttribute('alt')).toBe(name);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);

    // Every line of the description (the image's facts, and whatever else the server adds: a caption, the text read in it).
    const reply = messages('out').last();
    expect(await reply.locator('strong').first().innerText()).toBe(name);
    const shown = await reply.getByTestId('message-body').innerText();
    for (const line of withoutMarks(expected).split('\n')) expect(shown).toContain(line);
  });

  it('restores the conversation from the server after a reload', async () => {
    const read = () => readMessages(page);
    const before = await read();
    const conversation = await storedConversation();
    expect(before).toHaveLength(shownCount(await history(server.url, conversation ?? '')));

    await page.reload();
    await expect.poll(() => page.getByTestId('message').count()).toBe(before.length);
    expect(await read()).toEqual(before);
    expect(await storedConversation()).toBe(conversation);

    // The uploaded image now comes from the server.
    const meta = await sharp(IMAGE).metadata();
    const image = messages('in').last().locator('img');
    expect(await image.getAttribute('src')).toMatch(/^\/api\/files\/[0-9a-f-]{36}$/);
    await expect.poll(() => image.evaluate((img: PageImage) => img.complete && img.naturalWidth)).toBe(meta.width);
  });

  it("shows the server's own error message for a refused upload, and a friendly one when the network fails", async () => {
    const zip = { name: 'archive.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\u0003\u0004 not really a zip') };
    // What the API says about this file, asked directly; refused files are not stored.
    const form = new FormData();
    form.append('text', '');
    form.append('files', new Blob([zip.buffer], { type: zip.mimeType }), zip.name);
    const direct = await fetch(`${server.url}/api/messages`, { method: 'POST', body: form });
    const { error } = (await direct.json()) as { error: { code: string; message: string } };
    expect(direct.status).toBe(415);

    const shownBefore = await page.getByTestId('message').count();
    const outBefore = await messages('out').count();
    await page.getByTestId('file-input').setInputFiles(zip);
    await page.getByTestId('send-button').click();
    const bubble = page.getByTestId('error-message');
    await bubble.waitFor();
    expect((await bubble.getByTestId('message-body').innerText()).trim()).toBe(error.message);
    expect(await bubble.getAttribute('role')).toBe('alert');
    expect(await messages('out').count()).toBe(outBefore);
    expect(await messages('in').last().innerText()).toContain('Not sent');
    // The refused file goes back to the composer, to be removed or sent again.
    expect(await page.getByTestId('file-chip').innerText()).toContain(zip.name);
    await page.getByTestId('file-chip-remove').click();
    expect(await page.getByTestId('file-chip').count()).toBe(0);

    await page.route('**/api/messages', (route) => route.abort('internetdisconnected'));
    await input().fill('Is anyone there?');
    await input().press('Enter');
    await expect.poll(() => bubble.count()).toBe(2);
    expect(await bubble.last().innerText()).toContain("couldn't reach the server");
    expect(await input().inputValue()).toBe('Is anyone there?');
    await page.unroute('**/api/messages');

    // After a reload only what the server kept is there.
    expect(shownCount(await history(server.url, (await storedConversation()) ?? ''))).toBe(shownBefore);
    await page.reload();
    await expect.poll(() => page.getByTestId('message').count()).toBe(shownBefore);
    expect(await bubble.count()).toBe(0);
  });

  it('starts a new conversation and renders inline code', async () => {
    const old = await storedConversation();
    await page.getByTestId('new-conversation').click();
    expect(await page.getByTestId('message').count()).toBe(0);
    expect(await page.getByTestId('empty-state').isVisible()).toBe(true);
    expect(await storedConversation()).toBeNull();
    // /forget without "confirm" only counts; its answer has `code` in it.
    await input().fill('/forget');
    await input().press('Enter');
    await messages('out').first().waitFor();
    const reply = messages('out').first();
    expect(await reply.locator('code').count()).toBeGreaterThan(0);
    expect(await reply.innerText()).not.toMatch(/`|\*\*/);
    const fresh = await storedConversation();
    expect(fresh).not.toBeNull();
    expect(fresh).not.toBe(old);
    expect(pageErrors).toEqual([]);
  });

  // Its own server and database: the tests above run with no model, answering by keyword rules.
  describe('with a chat model', () => {
    const PIECES = ['Hel', 'lo ', 'there'] as const;
    let fake: FakeInference | undefined;
    let modelServer: RunningServer;
    let chat: Page;
    const closeModel: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      const started = await startFakeInference();
      fake = started;
      closeModel.push(() => started.close());
      const modelDb = await openTestPglite();
      closeModel.push(() => modelDb.destroy());
      modelServer = await startServer(modelDb, { HF_TOKEN: HF_TEST_TOKEN }, { fetch: started.hostedFetch });
      closeModel.push(() => modelServer.close());
      chat = await openPage(modelServer);
      closeModel.push(() => chat.close());
    });

    afterAll(async () => {
      for (const close of closeModel.reverse()) await close();
      if (fake) expect(fake.invalid).toEqual([]);
    });

    const model = () => {
      if (!fake) throw new Error('the fake inference server did not start');
      return fake;
    };

    it('shows the answer as it is written, then the finished reply, which a reload shows again', async () => {
      model().script('chat', reply.chat([...PIECES], { chunkDelayMs: 400 }));
      await chat.goto('/');
      // Held until the pending indicator has been seen; the answer then streams as the model writes it.
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      await chat.route('**/api/messages', async (route: Route) => {
        await held;
        await route.continue();
      });
      const request = chat.waitForRequest('**/api/messages');
      await chat.getByTestId('composer-input').fill('Say hello');
      await chat.getByTestId('composer-input').press('Enter');
      await chat.getByTestId('pending').waitFor();
      expect((await request).headers()['accept']).toContain('text/event-stream');
      release();

      // The first piece shows while the rest is still on its way (400 ms a piece), in place of the pending indicator.
      const live = chat.getByTestId('streaming-message');
      await live.filter({ hasText: PIECES[0] }).waitFor({ timeout: 10_000 });
      const partial = await live.getByTestId('message-body').innerText();
      expect(partial.startsWith(PIECES[0])).toBe(true);
      expect(partial).not.toContain(PIECES[2]);
      expect(await live.getAttribute('aria-busy')).toBe('true');
      expect(await chat.getByTestId('pending').count()).toBe(0);
      expect(await messagesOn(chat, 'out').count()).toBe(0);

      // Then the finished reply takes its place, as the server stored it.
      const answer = messagesOn(chat, 'out').first();
      await answer.waitFor();
      await chat.unroute('**/api/messages');
      expect(await answer.getByTestId('message-body').innerText()).toBe(PIECES.join(''));
      expect(await live.count()).toBe(0);
      expect(model().remaining('chat')).toBe(0);
      const conversation = (await storedConversationOn(chat, modelServer.url)) ?? '';
      expect((await history(modelServer.url, conversation)).at(-1)).toMatchObject({ direction: 'out', text: PIECES.join('') });

      const before = await readMessages(chat);
      expect(before).toEqual([
        { direction: 'in', text: 'Say hello' },
        { direction: 'out', text: PIECES.join('') },
      ]);
      await chat.reload();
      await expect.poll(() => chat.getByTestId('message').count()).toBe(before.length);
      expect(await readMessages(chat)).toEqual(before);
      expect(pageErrors).toEqual([]);
    });

    it('shows an error event like other errors, and takes an answer cut off midway for a network failure', async () => {
      const input = chat.getByTestId('composer-input');
      const errors = chat.getByTestId('error-message');
      const shownBefore = await chat.getByTestId('message').count();
      const failure = { error: { code: 'store_unavailable', message: 'The database is not answering.' } };
      /** The id of each message the page sent. */
      const ids: string[] = [];
      /** Answers the page's messages, without the server, with a piece of text and then `end`. */
      const answerWith = (end: string) =>
        chat.route('**/api/messages', async (route: Route) => {
          ids.push((route.request().postDataJSON() as { id: string }).id);
          await route.fulfill({ status: 200, contentType: 'text/event-stream', body: `event: delta\ndata: {"text":"Hel"}\n\n${end}` });
        });

      await answerWith(`event: error\ndata: ${JSON.stringify(failure)}\n\n`);
      await input.fill('Are you there?');
      await input.press('Enter');
      await errors.waitFor();
      expect((await errors.getByTestId('message-body').innerText()).trim()).toBe(failure.error.message);
      expect(await chat.getByTestId('streaming-message').count()).toBe(0);
      expect(await messagesOn(chat, 'in').last().innerText()).toContain('Not sent');
      expect(await input.inputValue()).toBe('Are you there?');
      await chat.unroute('**/api/messages');

      // Sent again as it is, with the same id: the server answers a message it has seen once.
      await answerWith('');
      await input.press('Enter');
      await expect.poll(() => errors.count()).toBe(2);
      expect(await errors.last().innerText()).toContain("couldn't reach the server");
      expect(await chat.getByTestId('streaming-message').count()).toBe(0);
      expect(await input.inputValue()).toBe('Are you there?');
      await chat.unroute('**/api/messages');
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe(ids[0]);

      // Neither reached the server.
      await chat.reload();
      await expect.poll(() => chat.getByTestId('message').count()).toBe(shownBefore);
      expect(await errors.count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });
  });
});
