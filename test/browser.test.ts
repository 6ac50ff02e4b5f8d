import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { chromium, type Browser, type Page, type Route } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestPglite, type TestDatabase } from './support/databases.js';
import { startServer, type RunningServer } from './support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const IMAGE = '/work/shared/fixtures/images/320x240.jpg';
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
    page = await browser.newPage({ baseURL: server.url, viewport: { width: 1200, height: 900 } });
    page.on('pageerror', (error) => pageErrors.push(`page error: ${error.message}`));
    // A 4xx answer is also logged as a console error; a CSP refusal or a script error is not one of those.
    page.on('console', (message) => {
      if (message.type() === 'error' && !/^Failed to load resource/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    for (const close of cleanup.reverse()) await close();
  });

  const messages = (direction: 'in' | 'out') => page.locator(`[data-testid="message"][data-direction="${direction}"]`);
  const input = () => page.getByTestId('composer-input');
  const storedConversation = async () => {
    const { origins } = await page.context().storageState();
    return origins.find((origin) => origin.origin === server.url)?.localStorage.find((item) => item.name === 'assistant.conversation')?.value ?? null;
  };

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
    await input().pressSequentially('Hi <b>there</b> & **not bold**');
    await input().press('Shift+Enter');
    await input().pressSequentially('second line');
    expect(await input().inputValue()).toBe('Hi <b>there</b> & **not bold**\nsecond line');
    expect(await messages('in').count()).toBe(before);
    await input().press('Enter');
    await expect.poll(() => messages('out').count()).toBe(2);
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
    await page.getByTestId('file-input').setInputFiles(IMAGE);
    await expect.poll(() => page.getByTestId('file-chip').innerText()).toContain(name);
    await page.getByTestId('send-button').click();
    await expect.poll(() => messages('out').count()).toBe(3);
    expect(await page.getByTestId('file-chip').count()).toBe(0);

    const mine = messages('in').last();
    const image = mine.locator('img');
    await expect.poll(() => image.evaluate((img: PageImage) => img.complete && img.naturalWidth)).toBe(meta.width);
    expect(await image.getAttribute('alt')).toBe(name);
    expect(await image.getAttribute('src')).toMatch(/^blob:/);

    const reply = messages('out').last();
    expect(await reply.locator('strong').first().innerText()).toBe(name);
    expect(await reply.innerText()).toContain(`${meta.width}×${meta.height} ${meta.format.toUpperCase()}`);
  });

  it('restores the conversation from the server after a reload', async () => {
    const read = () =>
      page
        .getByTestId('message')
        .evaluateAll((items: PageElement[]) =>
          items.map((item) => ({ direction: item.getAttribute('data-direction'), text: item.querySelector('[data-testid="message-body"]')?.textContent })),
        );
    const before = await read();
    const conversation = await storedConversation();
    expect(before).toHaveLength(6);

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
    await page.reload();
    await expect.poll(() => page.getByTestId('message').count()).toBe(6);
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
});
