import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { reply, type RecordedRequest } from '../fakes/inference-server.js';
import { history, postForm } from '../support/http.js';
import { toolFailure } from '../support/runs.js';
import { chatRequests, useHostedServer, useLocalServer } from '../support/hosted.js';
import { fixture } from '../support/shared.js';

interface ChatBody {
  tools?: unknown[];
  messages: Array<{ role: string; content: string | Array<{ type: string; text?: string; image_url?: { url: string } }> }>;
}

/** The size and type of each image a chat request carries, decoded from its data URL. */
async function imagesIn(request: RecordedRequest | undefined) {
  const body = request?.body as ChatBody;
  const urls = body.messages.flatMap((message) => (Array.isArray(message.content) ? message.content : [])).flatMap((part) => part.image_url?.url ?? []);
  return Promise.all(
    urls.map(async (url) => {
      const meta = await sharp(Buffer.from(url.replace(/^data:image\/[a-z]+;base64,/, ''), 'base64')).metadata();
      return { format: meta.format, width: meta.width, height: meta.height };
    }),
  );
}

describe('describe through the web API, with a hosted vision chat model', () => {
  const setup = useHostedServer({ MAX_FILE_MB: '2' });
  const chats = () => chatRequests(setup.hosted);

  it.each([
    ['Landscape_6.jpg', /^\*\*Landscape_6\.jpg\*\*: a 600×450 JPEG image \(landscape\), .*; turned upright from EXIF orientation 6\.$/, [600, 450]],
    ['Channel_digital_image_CMYK_color.jpg', /: a 500×333 JPEG image \(landscape\), .*; converted from CMYK to sRGB\.$/, [500, 333]],
    ['animated-loop-3.gif', /: a 370×285 GIF image \(landscape, animated, 10 frames\), .*; described from its first frame\.$/, [370, 285]],
    ['pitm.avif', /: a 4096×800 AVIF image \(landscape\), /, [1024, 200]],
    ['check.svg', /: a 100×100 SVG image \(square\), a vector drawing, /, [1024, 1024]],
  ])('uploads %s with no text: its facts, and a caption of the prepared image', async (name, facts, [width, height]) => {
    setup.hosted.script('chat', reply.text(`A caption of ${name}.`));
    const result = await postForm(setup.server.url, { user: 'ann' }, [{ name, type: '', bytes: await fixture(name) }]);
    expect(result.status).toBe(200);
    const lines = result.body.replies?.[0]?.text?.split('\n') ?? [];
    expect(lines[0]).toMatch(facts);
    expect(lines[1]).toBe(`A caption of ${name}.`);
    // An image with no text is routed to describe without asking the model; the one chat call is the caption.
    expect(await imagesIn(chats().at(-1))).toEqual([{ format: expect.stringMatching(/^(jpeg|png)$/) as unknown, width, height }]);
  });

  it('answers a question about an image the model routes to describe', async () => {
    setup.hosted.script('chat', reply.toolCall('describe', { question: 'what brand is this?' }), reply.text('It is a Yamaha keyboard.'));
    const before = chats().length;
    const result = await postForm(setup.server.url, { text: 'what brand is this?' }, [
      { name: 'stage.jpg', type: 'image/jpeg', bytes: await fixture('concert.jpg') },
    ]);
    expect(result.body.replies?.[0]?.text).toBe('It is a Yamaha keyboard.');
    const [routing, answering] = chats().slice(before);
    // The router and the tool send the same prepared image.
    expect(await imagesIn(routing)).toEqual([{ format: 'jpeg', width: 400, height: 267 }]);
    expect(await imagesIn(answering)).toEqual([{ format: 'jpeg', width: 400, height: 267 }]);
    const asked = (answering?.body as ChatBody).messages.at(-1)?.content;
    expect(Array.isArray(asked) && asked[0]?.text).toBe('what brand is this?');
  });

  it('writes alt text on /describe alt', async () => {
    setup.hosted.script('chat', reply.text('Concert crowd with raised hands before a lit stage.'));
    const result = await postForm(setup.server.url, { text: '/describe alt' }, [{ name: 'c.jpg', type: 'image/jpeg', bytes: await fixture('concert.jpg') }]);
    expect(result.body.replies?.[0]?.text).toBe('Concert crowd with raised hands before a lit stage.');
  });

  it.each([
    ['notes.png', new TextEncoder().encode('meeting notes, not a picture'), "I couldn't read notes.png: it isn't an image but text.", 'unsupported_file'],
    ['huge.png', undefined, "I couldn't read huge.png: it is too large to open: 65536×65536 pixels, over the 100-megapixel limit.", 'file_too_large'],
    ['half.jpg', undefined, "I couldn't read half.jpg: it isn't a readable image: the file is cut short, as when an upload is interrupted.", 'unreadable_file'],
  ])('answers %s with a clear reason, and keeps both sides in the history', async (name, bytes, text, code) => {
    const source = name === 'huge.png' ? '65536-uint32-limit.png' : 'truncated.jpg';
    const result = await postForm(setup.server.url, { user: 'ann' }, [{ name, type: 'image/png', bytes: bytes ?? (await fixture(source)) }]);
    expect(result.status).toBe(200);
    expect(result.body.replies?.[0]?.text).toBe(text);
    expect(await toolFailure(setup.database, result)).toEqual({ code, text });
    const stored = await history(setup.server.url, result.body.conversation ?? '');
    expect(stored.map((message) => [message.direction, message.attachments[0]?.name ?? message.text])).toEqual([
      ['in', name],
      ['out', text],
    ]);
  });
});

describe('describe with no model configured', () => {
  const setup = useLocalServer();

  it('takes words no keyword knows beside an image as being about the image, not a request for help', async () => {
    const result = await postForm(setup.server.url, { text: 'what brand is this?' }, [
      { name: 'c.jpg', type: 'image/jpeg', bytes: await fixture('concert.jpg') },
    ]);
    const text = result.body.replies?.[0]?.text ?? '';
    expect(text).toMatch(/^\*\*c\.jpg\*\*: a \d+×\d+ JPEG image/);
    expect(text).toContain('HF_TOKEN');
  });
});
