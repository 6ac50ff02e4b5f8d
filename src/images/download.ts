import { UserError } from '../core/errors.js';
import type { Attachment } from '../core/message.js';

export interface DownloadOptions {
  /** Past this many bytes the download stops and the file is refused. */
  maxBytes: number;
  /** The caller's: when it aborts, so does the download, with the caller's reason. */
  signal: AbortSignal;
  timeoutMs?: number;
}

/** Bounds the memory and time one image takes; a 48 MP phone photo is about 15 MB. */
export const MAX_IMAGE_BYTES = 25 * 1_048_576;
const DEFAULT_TIMEOUT_MS = 20_000;
const MAX_REDIRECTS = 5;
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/**
 * The bytes of an attachment: those it carries (web uploads), or a download of its URL that stops
 * at `maxBytes` (from Content-Length when the server sends one, else while reading), follows
 * redirects to http(s) only, and gives up after a timeout. A sign-in page served instead of the
 * file, an error status, an unreachable host: each is a UserError saying so.
 */
export async function attachmentBytes(file: Pick<Attachment, 'name' | 'url' | 'bytes'>, options: DownloadOptions): Promise<Uint8Array> {
  if (file.bytes) {
    if (file.bytes.byteLength > options.maxBytes) throw tooLarge(file.name, options.maxBytes);
    return file.bytes;
  }
  if (!file.url) throw new UserError('unreadable_file', `I couldn't get the contents of ${file.name}.`);
  const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS)]);
  try {
    const response = await fetchFollowing(file.name, webUrl(file.name, file.url), signal);
    return await readCapped(response, file.name, options.maxBytes);
  } catch (error) {
    if (error instanceof UserError || options.signal.aborted) throw error;
    if (signal.aborted) throw new UserError('unreadable_file', `I couldn't download ${file.name}: it took too long.`, { cause: error });
    throw new UserError('unreadable_file', `I couldn't download ${file.name}: its address can't be reached.`, { cause: error });
  }
}

async function fetchFollowing(name: string, start: URL, signal: AbortSignal): Promise<Response> {
  let url = start;
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, { redirect: 'manual', signal, headers: { accept: 'image/*' } });
    if (!REDIRECTS.has(response.status)) return checked(response, name);
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location || hop === MAX_REDIRECTS) throw new UserError('unreadable_file', `I couldn't download ${name}: its address redirects without end.`);
    url = webUrl(name, new URL(location, url).href);
  }
}

async function checked(response: Response, name: string): Promise<Response> {
  const refuse = async (why: string) => {
    await response.body?.cancel();
    return new UserError('unreadable_file', `I couldn't download ${name}: ${why}.`, { detail: { status: response.status } });
  };
  if (response.status === 401 || response.status === 403) throw await refuse(`the server wants a sign-in I don't have (HTTP ${response.status})`);
  if (!response.ok) throw await refuse(`the server answered HTTP ${response.status}`);
  if (/^text\/html\b/i.test(response.headers.get('content-type') ?? '')) throw await refuse('the link gives a web page (a sign-in page?) instead of the file');
  return response;
}

async function readCapped(response: Response, name: string, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(name, maxBytes);
  }
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    total += read.value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(name, maxBytes);
    }
    chunks.push(read.value);
  }
  const joined = Buffer.concat(chunks);
  return new Uint8Array(joined.buffer, joined.byteOffset, joined.byteLength);
}

/** Only web addresses: a redirect to file:, data: or ftp: is refused rather than followed. */
function webUrl(name: string, address: string): URL {
  const url = URL.canParse(address) ? new URL(address) : undefined;
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') {
    throw new UserError('unreadable_file', `I couldn't download ${name}: its address is not a web (http or https) address.`);
  }
  return url;
}

function tooLarge(name: string, maxBytes: number): UserError {
  return new UserError('file_too_large', `${name} is over the ${maxBytes / 1_048_576} MB limit for images.`);
}
