import { readdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { UserError } from '../../src/core/errors.js';
import type { History } from '../../src/core/history.js';
import type { Attachment } from '../../src/core/message.js';
import type { Models } from '../../src/core/models.js';
import type { ToolContext, ToolOutput } from '../../src/core/tool.js';
import { ALT_MAX_CHARS } from '../../src/images/request.js';
import { createModels } from '../../src/models/index.js';
import type { ModelService } from '../../src/models/model-service.js';
import { describe as describeTool } from '../../src/tools/describe.js';
import { reply, startFakeInference, type FakeInference, type RecordedRequest } from '../fakes/inference-server.js';
import { HF_TEST_TOKEN } from '../support/hosted.js';
import { silentLog } from '../support/log.js';
import { localModels } from '../support/models.js';
import { fixture, IMAGE_FIXTURES } from '../support/shared.js';

const NO_MODEL_NOTE = /^\(That is what can be read without a vision model\. .*HF_TOKEN.*MODEL_CAPTION\.\)$/;
const SIGN =
  '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="200"><rect width="600" height="200" fill="white"/><text x="20" y="120" font-family="DejaVu Sans" font-size="64">OPEN 24 HOURS</text></svg>';

/** describe reads no history; a call would be a bug, so it throws. */
const noHistory = new Proxy({} as History, {
  get: () => () => {
    throw new Error('describe does not read the history');
  },
});

let local: ModelService;
let hosted: FakeInference;
let viaChat: ModelService;
let viaImageToText: ModelService;

beforeAll(async () => {
  local = localModels();
  hosted = await startFakeInference();
  hosted.setModel('test/captioner', { task: 'image-to-text' });
  const config = (env: Record<string, string>) => loadConfig({ HF_TOKEN: HF_TEST_TOKEN, MODEL_RETRIES: '0', ...env });
  viaChat = createModels(config({}), silentLog, hosted.hostedFetch).models;
  viaImageToText = createModels(config({ MODEL_CAPTION: 'huggingface:test/captioner' }), silentLog, hosted.hostedFetch).models;
});
afterAll(async () => {
  await Promise.all([local.close(), viaChat.close(), viaImageToText.close()]);
  await hosted.close();
  expect(hosted.invalid).toEqual([]);
});

const upload = (name: string, bytes: Uint8Array, mime = ''): Attachment => ({ id: name, name, mime, size: bytes.byteLength, bytes });

async function run(models: Models, attachments: Attachment[], options: { text?: string; input?: Record<string, unknown> } = {}): Promise<ToolOutput> {
  const ctx: ToolContext = {
    inbound: {
      eventId: 'e1',
      conversation: { platform: 'web', key: 'web:c1' },
      user: { id: 'web:ann', name: 'Ann' },
      text: options.text ?? '',
      attachments,
      receivedAt: new Date(),
    },
    messageId: '1',
    history: noHistory,
    models,
    log: silentLog,
    signal: new AbortController().signal,
  };
  return describeTool.run(describeTool.input.parse(options.input ?? {}), ctx);
}

const textOf = (output: ToolOutput) => (output.replies[0]?.type === 'text' ? output.replies[0].text : '');
const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error as UserError,
  );
const chatCalls = () => hosted.requests.filter((request) => request.route === 'chat');

/** The text and the one image of the last user message of a chat request, the image decoded. */
async function sentToChat(request: RecordedRequest | undefined) {
  const body = request?.body as { messages: Array<{ role: string; content: Array<{ type: string; text?: string; image_url?: { url: string } }> }> };
  const parts = body.messages.at(-1)?.content ?? [];
  const url = parts.find((part) => part.type === 'image_url')?.image_url?.url ?? '';
  const [, mime, data] = /^data:(image\/[a-z]+);base64,(.*)$/.exec(url) ?? [];
  const meta = await sharp(Buffer.from(data ?? '', 'base64')).metadata();
  return { text: parts.find((part) => part.type === 'text')?.text, mime, width: meta.width, height: meta.height, format: meta.format };
}

/** Every shared fixture through the real tool with no caption model: the facts line, or the reason it can't be read. */
const FIXTURES: Record<string, RegExp | string> = {
  '16-bit-grey-alpha.png':
    /^\*\*16-bit-grey-alpha\.png\*\*: a 109×96 PNG image \(landscape\), mostly [a-z ]+, with transparent parts; 16-bit, read as 8-bit\.$/,
  '320x240.jpg': /^\*\*320x240\.jpg\*\*: a 320×240 JPEG image \(landscape\), mostly [a-z ]+\.$/,
  '65536-uint32-limit.png': "I couldn't read 65536-uint32-limit.png: it is too large to open: 65536×65536 pixels, over the 100-megapixel limit.",
  'Channel_digital_image_CMYK_color.jpg':
    /^\*\*Channel_digital_image_CMYK_color\.jpg\*\*: a 500×333 JPEG image \(landscape\), mostly [a-z ]+; converted from CMYK to sRGB\.$/,
  'LICENSE-sharp': "I couldn't read LICENSE-sharp: it isn't an image but text.",
  'Landscape_3.jpg': /^\*\*Landscape_3\.jpg\*\*: a 600×450 JPEG image \(landscape\), mostly [a-z ]+; turned upright from EXIF orientation 3\.$/,
  'Landscape_6.jpg': /^\*\*Landscape_6\.jpg\*\*: a 600×450 JPEG image \(landscape\), mostly [a-z ]+; turned upright from EXIF orientation 6\.$/,
  'Portrait_8.jpg': /^\*\*Portrait_8\.jpg\*\*: a 450×600 JPEG image \(portrait\), mostly [a-z ]+; turned upright from EXIF orientation 8\.$/,
  SOURCE: "I couldn't read SOURCE: it isn't an image but text.",
  'animated-loop-3.gif':
    /^\*\*animated-loop-3\.gif\*\*: a 370×285 GIF image \(landscape, animated, 10 frames\), mostly [a-z ]+; described from its first frame\.$/,
  'check.svg': /^\*\*check\.svg\*\*: a 100×100 SVG image \(square\), a vector drawing, mostly [a-z ]+, with transparent parts\.$/,
  'concert.jpg': /^\*\*concert\.jpg\*\*: a 400×267 JPEG image \(landscape\), mostly [a-z ]+\.$/,
  'corrupt-header.jpg': "I couldn't read corrupt-header.jpg: it isn't a readable image: its header is damaged.",
  'flowers.jpeg': /^\*\*flowers\.jpeg\*\*: a 1920×1080 JPEG image \(landscape\), mostly [a-z ]+\.$/,
  'full-transparent.png': /^\*\*full-transparent\.png\*\*: a 300×300 PNG image \(square\), fully transparent\.$/,
  'pitm.avif': /^\*\*pitm\.avif\*\*: a 4096×800 AVIF image \(landscape\), mostly [a-z ]+\.$/,
  'rotating-squares.webp':
    /^\*\*rotating-squares\.webp\*\*: a 80×80 WEBP image \(square, animated, 9 frames\), mostly [a-z ]+, with transparent parts; described from its first frame\.$/,
  'truncated.jpg': "I couldn't read truncated.jpg: it isn't a readable image: the file is cut short, as when an upload is interrupted.",
  'truncated.png': "I couldn't read truncated.png: it isn't a readable image: the file is cut short, as when an upload is interrupted.",
};

describe('describe, every shared fixture, no caption model', () => {
  it('covers every file there', async () => {
    expect((await readdir(IMAGE_FIXTURES)).sort()).toEqual(Object.keys(FIXTURES).sort());
  });

  it.each(Object.entries(FIXTURES))('%s', async (name, expected) => {
    // Sent as a browser sends an unknown file: no type; the tool reads the bytes.
    const attempt = run(local, [upload(name, await fixture(name), name === 'SOURCE' || name === 'LICENSE-sharp' ? 'image/png' : '')]);
    if (typeof expected === 'string') {
      const error = await refusalOf(attempt);
      expect(error).toBeInstanceOf(UserError);
      expect(error?.message).toBe(expected);
      return;
    }
    const output = await attempt;
    const lines = textOf(output).split('\n');
    expect(lines[0]).toMatch(expected);
    expect(lines.at(-1)).toMatch(NO_MODEL_NOTE);
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^Text in the image: “.+”$/);
    expect(output).toMatchObject({ provider: 'local', model: 'sharp' });
  });
});

describe('describe with no caption model', () => {
  it('reads the text in an image, from the original raster and from a rendered SVG', async () => {
    const png = new Uint8Array(await sharp(Buffer.from(SIGN)).png().toBuffer());
    for (const file of [upload('sign.png', png), upload('sign.svg', new TextEncoder().encode(SIGN))]) {
      const lines = textOf(await run(local, [file])).split('\n');
      expect(lines[1], file.name).toBe('Text in the image: “OPEN 24 HOURS”');
    }
  });

  it('writes alt text from what it can read', async () => {
    const lines = textOf(await run(local, [upload('sign.svg', new TextEncoder().encode(SIGN))], { input: { mode: 'alt' } })).split('\n');
    expect(lines[0]).toBe('A landscape drawing with the text “OPEN 24 HOURS”.');
    expect(lines[1]).toMatch(NO_MODEL_NOTE);
  });

  it('names a file whose bytes are not what its name says', async () => {
    const text = textOf(await run(local, [upload('photo.png', await fixture('320x240.jpg'), 'image/png')]));
    expect(text.split('\n')[0]).toMatch(/; a JPEG file, though named \.png\.$/);
  });

  it('describes the images it can read and gives a reason for the others', async () => {
    const lines = textOf(await run(local, [upload('a.jpg', await fixture('320x240.jpg')), upload('b.png', await fixture('truncated.png'))])).split('\n');
    expect(lines[0]).toMatch(/^\*\*a\.jpg\*\*: a 320×240 JPEG image/);
    expect(lines).toContain("I couldn't read b.png: it isn't a readable image: the file is cut short, as when an upload is interrupted.");
  });

  it('answers with every reason when none can be read', async () => {
    const text = new TextEncoder().encode('hello');
    const error = await refusalOf(run(local, [upload('a.png', text), upload('b.gif', await fixture('corrupt-header.jpg'))]));
    expect(error?.message).toBe("I couldn't read a.png: it isn't an image but text.\nI couldn't read b.gif: it isn't a readable image: its header is damaged.");
  });

  it('asks for an image when there is none', async () => {
    expect((await refusalOf(run(local, [])))?.code).toBe('no_image');
  });

  it('downloads an image a platform only links to', async () => {
    const photo = await fixture('Landscape_6.jpg');
    const server: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(photo));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/p.jpg`;
      const text = textOf(await run(local, [{ id: 'x', name: 'p.jpg', mime: 'image/jpeg', size: photo.byteLength, url }]));
      expect(text.split('\n')[0]).toMatch(/^\*\*p\.jpg\*\*: a 600×450 JPEG image \(landscape\)/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('describe with a vision chat model', () => {
  it('captions the prepared image: upright, at most 1024 pixels, as JPEG', async () => {
    hosted.script('chat', reply.text('A waterfall in a rainforest.', { usage: { prompt_tokens: 700, completion_tokens: 8 } }));
    const output = await run(viaChat, [upload('falls.jpg', await fixture('Portrait_8.jpg'))]);
    const lines = textOf(output).split('\n');
    expect(lines[0]).toMatch(/^\*\*falls\.jpg\*\*: a 450×600 JPEG image \(portrait\)/);
    expect(lines[1]).toBe('A waterfall in a rainforest.');
    expect(output).toMatchObject({ provider: 'huggingface', usage: { inputTokens: 700, outputTokens: 8 } });
    const sent = await sentToChat(chatCalls().at(-1));
    expect(sent).toMatchObject({ mime: 'image/jpeg', format: 'jpeg', width: 450, height: 600 });
    expect(sent.text).toMatch(/^Describe this image/);

    await run(viaChat, [upload('flowers.jpeg', await fixture('flowers.jpeg'))]);
    expect(await sentToChat(chatCalls().at(-1))).toMatchObject({ width: 1024, height: 576 });
  });

  it.each(['what brand is this?', 'how many people are there?', '这是什么牌子'])('answers "%s" from the image, directly', async (question) => {
    const before = chatCalls().length;
    const output = await run(viaChat, [upload('concert.jpg', await fixture('concert.jpg'))], { text: question });
    // The fake echoes the prompt: the question went to the model with the image, and its answer is the reply.
    expect(textOf(output)).toBe(`echo: ${question}`);
    const sent = await sentToChat(chatCalls()[before]);
    expect(sent).toMatchObject({ text: question, width: 400, height: 267 });
    expect(chatCalls()).toHaveLength(before + 1);
  });

  it('takes the question from the command', async () => {
    const output = await run(viaChat, [upload('c.jpg', await fixture('concert.jpg'))], {
      text: '/describe is it a concert?',
      input: { question: 'is it a concert?' },
    });
    expect(textOf(output)).toBe('echo: is it a concert?');
  });

  it(`writes alt text of at most ${ALT_MAX_CHARS} characters`, async () => {
    const long =
      'A crowd of people at a concert, raising their hands toward a brightly lit stage where a band is playing under many colourful spotlights and smoke';
    hosted.script('chat', reply.text(long));
    const output = await run(viaChat, [upload('c.jpg', await fixture('concert.jpg'))], { text: 'alt text for this please' });
    const text = textOf(output);
    expect(text).not.toContain('\n');
    expect(text.length).toBeLessThanOrEqual(ALT_MAX_CHARS);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
    expect((await sentToChat(chatCalls().at(-1))).text).toMatch(/^Write alt text for this image/);
  });

  it('names each image when answering about several', async () => {
    const output = await run(viaChat, [upload('a.jpg', await fixture('concert.jpg')), upload('b.jpg', await fixture('320x240.jpg'))], {
      input: { question: 'what is this?' },
    });
    expect(textOf(output).split('\n')).toEqual(['**a.jpg**: echo: what is this?', '**b.jpg**: echo: what is this?']);
  });
});

describe('describe with an image-to-text model', () => {
  it('posts the prepared image, not the upload, and shows the caption', async () => {
    const output = await run(viaImageToText, [upload('side.jpg', await fixture('Landscape_6.jpg'))]);
    const posted = hosted.requests.filter((request) => request.route === 'image-to-text').at(-1)?.body as Uint8Array;
    const meta = await sharp(posted).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width: 600, height: 450, space: 'srgb' });
    expect(meta.orientation).toBeUndefined();
    expect(textOf(output).split('\n')[1]).toBe(`a jpeg image of ${posted.byteLength} bytes`);
    expect(output).toMatchObject({ provider: 'huggingface', model: 'test/captioner' });
  });
});
