// Server-sent events read from a fetch response body. EventSource would do this, but it can only
// GET, and a message is sent with a POST.

/** @typedef {{ event: string, data: string }} ServerSentEvent */

/**
 * Each event as soon as its closing blank line arrives. Only `event:` and `data:` lines are read
 * (several `data:` lines join with newlines); comments, `id:` and `retry:` are skipped.
 * @param {ReadableStream<Uint8Array>} body
 * @returns {AsyncGenerator<ServerSentEvent>}
 */
export async function* serverSentEvents(body) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // LF or CRLF line ends; dropping every CR also copes with a CRLF split between two chunks.
      buffer = buffer.replaceAll('\r', '');
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const event = parseEvent(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
        if (event) yield event;
      }
      if (done) return;
    }
  } finally {
    // Stops the download when the reader leaves early (a `done` event, or a new conversation).
    await reader.cancel().catch(() => {});
  }
}

/** @param {string} block the lines of one event @returns {ServerSentEvent | null} null for a block without data */
function parseEvent(block) {
  let event = 'message';
  /** @type {string[]} */
  const data = [];
  for (const line of block.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === 0) continue;
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { event, data: data.join('\n') } : null;
}
