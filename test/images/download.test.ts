import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/core/errors.js';
import { attachmentBytes } from '../../src/images/download.js';
import { fixture } from '../support/shared.js';

const CHUNK = 64 * 1024;
const STREAMED_CHUNKS = 1600;
const MAX = 256 * 1024;

let server: Server;
let base: string;
let photo: Uint8Array;
/** How the /endless route ended: the bytes it wrote, and whether the client hung up before the end. */
let endless: Promise<{ written: number; hungUp: boolean }>;

function stream(res: ServerResponse): void {
  endless = new Promise((resolve) => {
    let written = 0;
    res.once('close', () => resolve({ written, hungUp: !res.writableFinished }));
    res.writeHead(200, { 'content-type': 'image/jpeg' });
    const more = (): void => {
      while (written < STREAMED_CHUNKS * CHUNK && !res.destroyed) {
        written += CHUNK;
        if (!res.write(Buffer.alloc(CHUNK, 7))) return void res.once('drain', more);
      }
      res.end();
    };
    more();
  });
}

const ROUTES: Record<string, (res: ServerResponse) => unknown> = {
  '/photo.jpg': (res) => res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(photo.byteLength) }).end(photo),
  '/redirect': (res) => res.writeHead(302, { location: '/photo.jpg' }).end(),
  '/to-file': (res) => res.writeHead(302, { location: 'file:///etc/passwd' }).end(),
  '/loop': (res) => res.writeHead(307, { location: '/loop' }).end(),
  '/private': (res) => res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden'),
  '/missing': (res) => res.writeHead(404).end(),
  '/login': (res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<html><form>Sign in</form></html>'),
  '/declared-huge': (res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': String(100 * 1_048_576) });
    res.write(Buffer.alloc(1024));
  },
  '/endless': stream,
  '/slow': () => undefined,
};

beforeAll(async () => {
  photo = await fixture('320x240.jpg');
  server = createServer((req, res) => void ROUTES[req.url ?? '']?.(res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const live = () => new AbortController().signal;
const download = (path: string, options: { maxBytes?: number; timeoutMs?: number; signal?: AbortSignal } = {}) =>
  attachmentBytes({ name: 'photo.jpg', url: path.includes(':') ? path : `${base}${path}` }, { maxBytes: MAX, signal: live(), timeoutMs: 2000, ...options });

async function refusal(promise: Promise<unknown>): Promise<UserError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('attachmentBytes', () => {
  it('takes the bytes an upload carries as they are, and refuses them over the cap', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    expect(await attachmentBytes({ name: 'a.png', bytes }, { maxBytes: 3, signal: live() })).toBe(bytes);
    const error = await refusal(attachmentBytes({ name: 'a.png', bytes }, { maxBytes: 2, signal: live() }));
    expect(error.code).toBe('file_too_large');
  });

  it('says so when a file has neither bytes nor an address', async () => {
    expect((await refusal(attachmentBytes({ name: 'a.png' }, { maxBytes: MAX, signal: live() }))).message).toBe("I couldn't get the contents of a.png.");
  });

  it('downloads a file, following an http redirect', async () => {
    expect(await download('/photo.jpg')).toEqual(photo);
    expect(await download('/redirect')).toEqual(photo);
  });

  it('refuses from Content-Length alone, without reading the body', async () => {
    const error = await refusal(download('/declared-huge'));
    expect(error).toMatchObject({ code: 'file_too_large', message: 'photo.jpg is over the 0.25 MB limit for images.' });
  });

  it('stops reading a body with no length once it passes the cap', async () => {
    expect((await refusal(download('/endless'))).code).toBe('file_too_large');
    const ended = await endless;
    expect(ended.hungUp).toBe(true);
    expect(ended.written).toBeLessThan(STREAMED_CHUNKS * CHUNK);
  });

  it.each([
    ['/to-file', "I couldn't download photo.jpg: its address is not a web (http or https) address."],
    ['ftp://127.0.0.1/photo.jpg', "I couldn't download photo.jpg: its address is not a web (http or https) address."],
    ['/loop', "I couldn't download photo.jpg: its address redirects without end."],
    ['/private', "I couldn't download photo.jpg: the server wants a sign-in I don't have (HTTP 403)."],
    ['/missing', "I couldn't download photo.jpg: the server answered HTTP 404."],
    ['/login', "I couldn't download photo.jpg: the link gives a web page (a sign-in page?) instead of the file."],
  ])('%s: a clear reason', async (path, message) => {
    expect((await refusal(download(path))).message).toBe(message);
  });

  it('gives up on a server that does not answer in time', async () => {
    expect((await refusal(download('/slow', { timeoutMs: 200 }))).message).toBe("I couldn't download photo.jpg: it took too long.");
  });

  it('says when the address cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    expect((await refusal(download(`http://127.0.0.1:${port}/a.jpg`))).message).toBe("I couldn't download photo.jpg: its address can't be reached.");
  });

  it("stops when the caller gives up, with the caller's reason rather than a download error", async () => {
    const caller = new AbortController();
    const pending = download('/slow', { signal: caller.signal, timeoutMs: 5000 });
    caller.abort(new Error('the tool timed out'));
    const error = await pending.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).not.toBeInstanceOf(UserError);
    expect(caller.signal.aborted).toBe(true);
  });
});
