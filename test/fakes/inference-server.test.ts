import { InferenceClient, InferenceClientProviderApiError, setLogger, type chatCompletionStream } from '@huggingface/inference';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reply, startFakeInference, type FakeInference } from './inference-server.js';
import { checkChatCompletion } from './tgi-openapi.js';

// Taken from the client, which does not re-export the type from @huggingface/tasks.
type ChatCompletionStreamOutput = ReturnType<typeof chatCompletionStream> extends AsyncGenerator<infer Chunk> ? Chunk : never;

const TOKEN = 'hf_fake_token';
const SUMMARIZE_TOOL = {
  type: 'function',
  function: {
    name: 'summarize',
    description: 'Summarize a text',
    parameters: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] },
  },
};

// The client logs its provider choice on every hosted task call; keep the test output readable.
setLogger({ debug() {}, info() {}, warn() {}, error() {}, log() {} });

let fake: FakeInference;
beforeEach(async () => {
  fake = await startFakeInference();
});
afterEach(async () => {
  await fake.close();
});

function hostedClient(): InferenceClient {
  return new InferenceClient(TOKEN, { fetch: fake.hostedFetch, retry_on_error: false });
}

/** Joins streamed tool-call fragments by `index`, as the bot must. */
function reassembleToolCalls(chunks: ChatCompletionStreamOutput[]): { id: string; name: string; arguments: string }[] {
  const calls: { id: string; name: string; arguments: string }[] = [];
  for (const fragment of chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []))) {
    const call = (calls[fragment.index] ??= { id: '', name: '', arguments: '' });
    // Only the first fragment carries id and name, whatever the client's types say.
    const id: unknown = fragment.id;
    call.id ||= typeof id === 'string' ? id : '';
    call.name ||= fragment.function.name ?? '';
    call.arguments += fragment.function.arguments;
  }
  return calls;
}

describe('hosted path (Inference Providers through hostedFetch)', () => {
  it('chatCompletion posts to the router auto route with the token, and gets the default echo', async () => {
    const output = await hostedClient().chatCompletion({ model: 'test/chat-a', messages: [{ role: 'user', content: 'hello there' }], max_tokens: 20 });

    expect(output.choices[0]?.message.content).toBe('echo: hello there');
    expect(output.usage).toEqual({ prompt_tokens: 2, completion_tokens: 3, total_tokens: 5 });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual(['POST /v1/chat/completions']);
    expect(fake.requests[0]).toMatchObject({ bearer: TOKEN, body: { model: 'test/chat-a', max_tokens: 20 } });
    expect(fake.invalid).toEqual([]);
  });

  it('chatCompletion returns scripted tool calls; OpenAI-style tools pass the TGI schema', async () => {
    fake.script(
      'chat',
      reply.toolCalls([
        { name: 'summarize', arguments: { text: 'a long text' } },
        { name: 'summarize', arguments: { text: 'another' }, id: 'call_x' },
      ]),
    );

    const output = await hostedClient().chatCompletion({
      model: 'test/chat-b',
      messages: [{ role: 'user', content: 'sum up' }],
      tools: [SUMMARIZE_TOOL],
      tool_choice: 'auto',
    });

    const choice = output.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBeUndefined();
    expect(choice?.message.tool_calls?.map((call) => [call.id, call.type, call.function.name, JSON.parse(call.function.arguments) as unknown])).toEqual([
      ['call_1_0', 'function', 'summarize', { text: 'a long text' }],
      ['call_x', 'function', 'summarize', { text: 'another' }],
    ]);
    expect(fake.invalid).toEqual([]);
    expect(fake.remaining('chat')).toBe(0);
  });

  it('chatCompletionStream sends text deltas, fragmented tool calls joined by index, and a usage chunk with choices: []', async () => {
    fake.script(
      'chat',
      reply.chat([
        'Let me ',
        'check.',
        { toolCall: { name: 'summarize', arguments: { text: 'long text here' } }, fragments: 4 },
        { toolCall: { name: 'translate', arguments: { to: 'fr' } } },
      ]),
    );

    const chunks: ChatCompletionStreamOutput[] = [];
    const stream = hostedClient().chatCompletionStream({
      model: 'test/chat-c',
      messages: [{ role: 'user', content: 'go' }],
      tools: [SUMMARIZE_TOOL],
      stream_options: { include_usage: true },
    });
    for await (const chunk of stream) chunks.push(chunk);

    expect(fake.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('Let me check.');
    const summarizeFragments = chunks.filter((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.index === 0);
    expect(summarizeFragments.length).toBe(4);
    expect(summarizeFragments.slice(1).every((chunk) => chunk.choices[0]?.delta.tool_calls?.[0]?.id === undefined)).toBe(true);
    expect(reassembleToolCalls(chunks).map((call) => ({ ...call, arguments: JSON.parse(call.arguments) as unknown }))).toEqual([
      { id: 'call_1_0', name: 'summarize', arguments: { text: 'long text here' } },
      { id: 'call_1_1', name: 'translate', arguments: { to: 'fr' } },
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 1, total_tokens: expect.any(Number) as number } });
    expect(fake.invalid).toEqual([]);
  });

  it('a stream sends no usage chunk unless asked, and a scripted text reply streams too', async () => {
    fake.script('chat', reply.text('streamed answer'));
    const chunks: ChatCompletionStreamOutput[] = [];
    for await (const chunk of hostedClient().chatCompletionStream({ model: 'test/chat-d', messages: [{ role: 'user', content: 'x' }] })) chunks.push(chunk);

    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('streamed answer');
    expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('chat with an explicit provider resolves the mapping first and posts under the provider route', async () => {
    fake.setModel('test/chat-provider', { task: 'conversational' });

    await hostedClient().chatCompletion({ model: 'test/chat-provider', provider: 'hf-inference', messages: [{ role: 'user', content: 'x' }] });

    expect(fake.requests.map((request) => `${request.method} ${request.path} ${request.bearer ?? '-'}`)).toEqual([
      `GET /api/models/test/chat-provider?expand[]=inferenceProviderMapping ${TOKEN}`,
      `POST /hf-inference/models/test/chat-provider/v1/chat/completions ${TOKEN}`,
    ]);
    expect(fake.invalid).toEqual([]);
  });

  it('translation resolves the model on the Hub, then posts to hf-inference', async () => {
    fake.setModel('test/translator-a', { task: 'translation' });

    const output = await hostedClient().translation({ model: 'test/translator-a', inputs: 'Hallo Welt', parameters: { src_lang: 'de', tgt_lang: 'en' } });

    expect(output).toEqual({ translation_text: '[en] Hallo Welt' });
    expect(fake.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /api/models/test/translator-a?expand[]=inferenceProviderMapping',
      'POST /hf-inference/models/test/translator-a',
    ]);
    // The mapping lookup that picks the provider is sent without the token.
    expect(fake.requests.map((request) => request.bearer)).toEqual([undefined, TOKEN]);
    expect(fake.requests[1]?.body).toEqual({ inputs: 'Hallo Welt', parameters: { src_lang: 'de', tgt_lang: 'en' } });
    expect(fake.invalid).toEqual([]);
  });

  it('summarization returns the scripted summary', async () => {
    fake.setModel('test/summarizer-a', { task: 'summarization' });
    fake.script('summarization', reply.summary('Short.'));

    const output = await hostedClient().summarization({
      model: 'test/summarizer-a',
      inputs: 'A very long text. '.repeat(20),
      parameters: { truncation: 'longest_first' },
    });

    expect(output).toEqual({ summary_text: 'Short.' });
    expect(fake.requests.at(-1)?.route).toBe('summarization');
    expect(fake.invalid).toEqual([]);
  });

  it('imageToText posts the image bytes themselves and gets { generated_text }', async () => {
    fake.setModel('test/captioner-a', { task: 'image-to-text' });
    const png = new Uint8Array(
      await sharp({ create: { width: 4, height: 3, channels: 3, background: '#c00' } })
        .png()
        .toBuffer(),
    );

    const output = await hostedClient().imageToText({ model: 'test/captioner-a', inputs: new Blob([png], { type: 'image/png' }) });

    expect(output).toEqual({ generated_text: `a png image of ${png.byteLength} bytes` });
    const posted = fake.requests.at(-1);
    expect(posted?.path).toBe('/hf-inference/models/test/captioner-a');
    expect(posted?.headers['content-type']).toBe('image/png');
    expect(posted?.body).toEqual(png);
    expect(fake.invalid).toEqual([]);
  });

  it('imageToText rejects a caption array, the shape the client does not accept', async () => {
    fake.setModel('test/captioner-b', { task: 'image-to-text' });
    fake.script('image-to-text', reply.json([{ generated_text: 'in an array' }]));
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#00c' } })
      .png()
      .toBuffer();

    await expect(hostedClient().imageToText({ model: 'test/captioner-b', inputs: new Blob([new Uint8Array(png)]) })).rejects.toThrow(
      /expected \{generated_text: string\}/,
    );
  });

  it('a model the fake was not told about is a Hub 404, recorded as invalid', async () => {
    await expect(hostedClient().translation({ model: 'test/unknown', inputs: 'x' })).rejects.toThrow(/Repository not found/);
    expect(fake.invalid).toMatchObject([{ rejected: true, errors: [expect.stringContaining('test/unknown') as string] }]);
  });
});

describe('self-hosted path (endpointUrl)', () => {
  it('chatCompletion posts to <endpointUrl>/v1/chat/completions with the model and token', async () => {
    const client = new InferenceClient('local-secret', { endpointUrl: fake.url, retry_on_error: false });

    const output = await client.chatCompletion({ model: 'local/llm', messages: [{ role: 'user', content: 'ping' }] });

    expect(output.choices[0]?.message.content).toBe('echo: ping');
    expect(fake.requests).toMatchObject([{ method: 'POST', path: '/v1/chat/completions', bearer: 'local-secret', body: { model: 'local/llm' } }]);
    expect(fake.invalid).toEqual([]);
  });

  it('without a model the client sends the endpoint URL as model: recorded, not refused', async () => {
    const client = new InferenceClient('local-secret', { endpointUrl: fake.url, retry_on_error: false });

    await client.chatCompletion({ messages: [{ role: 'user', content: 'ping' }] });

    expect(fake.requests[0]?.body).toMatchObject({ model: fake.url });
    expect(fake.invalid).toMatchObject([{ rejected: false, errors: [expect.stringContaining('is a URL') as string] }]);
  });

  it('a task endpoint serves non-chat tasks, which post to endpointUrl itself', async () => {
    const client = new InferenceClient('local-secret', { endpointUrl: fake.taskEndpointUrl('translation'), retry_on_error: false });

    expect(await client.translation({ inputs: 'Bonjour', parameters: { tgt_lang: 'de' } })).toEqual({ translation_text: '[de] Bonjour' });
    expect(fake.requests[0]?.path).toBe('/endpoint/translation');
  });
});

describe('scripted failures', () => {
  const messages = [{ role: 'user', content: 'hi' }];

  it('503 and 429 reach the client as ProviderApiErrors when retry_on_error is false', async () => {
    fake.script('chat', reply.unavailable(), reply.rateLimited(7));
    const client = hostedClient();

    const unavailable = await client.chatCompletion({ model: 'test/chat-e', messages }).catch((error: unknown) => error);
    const limited = await client.chatCompletion({ model: 'test/chat-e', messages }).catch((error: unknown) => error);

    expect(unavailable).toBeInstanceOf(InferenceClientProviderApiError);
    expect((unavailable as InferenceClientProviderApiError).httpResponse.status).toBe(503);
    expect(limited).toBeInstanceOf(InferenceClientProviderApiError);
    expect((limited as InferenceClientProviderApiError).httpResponse).toMatchObject({ status: 429, body: { error: 'Model is overloaded' } });
    expect(fake.remaining('chat')).toBe(0);
  });

  it('429 carries Retry-After, which only a fetch wrapper sees (the client error drops headers)', async () => {
    fake.script('chat', reply.rateLimited(7));
    const seen: Response[] = [];
    const client = new InferenceClient(TOKEN, {
      retry_on_error: false,
      fetch: async (input, init) => {
        const response = await fake.hostedFetch(input, init);
        seen.push(response);
        return response;
      },
    });

    await expect(client.chatCompletion({ model: 'test/chat-f', messages })).rejects.toThrow(InferenceClientProviderApiError);
    expect(seen[0]?.headers.get('retry-after')).toBe('7');
  });

  it('without retry_on_error: false the client retries a 503 at once', async () => {
    fake.script('chat', reply.unavailable(), reply.unavailable(), reply.text('third time'));

    const output = await new InferenceClient(TOKEN, { fetch: fake.hostedFetch }).chatCompletion({ model: 'test/chat-g', messages });

    expect(output.choices[0]?.message.content).toBe('third time');
    expect(fake.requests.length).toBe(3);
  });

  it('a 500 and a 400 are errors too', async () => {
    fake.script('chat', reply.serverError(), reply.badRequest('bad input'));
    const client = hostedClient();

    await expect(client.chatCompletion({ model: 'test/chat-h', messages })).rejects.toMatchObject({ httpResponse: { status: 500 } });
    await expect(client.chatCompletion({ model: 'test/chat-h', messages })).rejects.toThrow(/bad input/);
  });

  it('malformed JSON fails the call', async () => {
    fake.script('chat', reply.malformedJson());

    await expect(hostedClient().chatCompletion({ model: 'test/chat-i', messages })).rejects.toThrow(SyntaxError);
  });

  it('an empty completion has neither content nor tool calls', async () => {
    fake.script('chat', reply.empty(), reply.empty({ nullContent: true }));
    const client = hostedClient();

    const tgiStyle = await client.chatCompletion({ model: 'test/chat-j', messages });
    const openAiStyle = await client.chatCompletion({ model: 'test/chat-j', messages });

    expect(tgiStyle.choices[0]?.message).toEqual({ role: 'assistant', content: '' });
    expect(openAiStyle.choices[0]?.message).toEqual({ role: 'assistant', content: null });
  });

  it('a hang lasts until the client aborts', async () => {
    fake.script('chat', reply.hang());
    const abort = new AbortController();

    const call = hostedClient().chatCompletion({ model: 'test/chat-k', messages }, { signal: abort.signal });
    await vi.waitFor(() => expect(fake.requests.length).toBe(1));
    abort.abort();

    await expect(call).rejects.toThrow(/abort/i);
  });

  it('close() ends a hanging request and an unfinished stream', async () => {
    fake.script('chat', reply.hang(), reply.text('partial', { end: 'hang' }));
    const client = hostedClient();
    const hanging = client.chatCompletion({ model: 'test/chat-l', messages });
    const chunks: string[] = [];
    const streaming = (async () => {
      for await (const chunk of client.chatCompletionStream({ model: 'test/chat-l', messages })) chunks.push(chunk.choices[0]?.delta.content ?? '');
    })();
    await vi.waitFor(() => expect(chunks.join('')).toBe('partial'));

    await fake.close();

    await expect(hanging).rejects.toThrow();
    await expect(streaming).rejects.toThrow();
  });

  it('a stream can end in an error event or a dropped connection', async () => {
    fake.script('chat', reply.text('so far', { end: { error: 'CUDA out of memory' } }), reply.text('so far', { end: 'drop' }));
    const client = hostedClient();
    const drain = async () => {
      let received = 0;
      for await (const chunk of client.chatCompletionStream({ model: 'test/chat-m', messages })) received += chunk.choices.length;
      return received;
    };

    await expect(drain()).rejects.toThrow(/CUDA out of memory/);
    await expect(drain()).rejects.toThrow();
  });
});

describe('request validation', () => {
  async function postChat(body: unknown): Promise<Response> {
    return fetch(`${fake.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }

  it('a chat body without messages is answered 422 and recorded', async () => {
    const response = await postChat({ model: 'm' });

    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error_type: 'validation' });
    expect(fake.invalid).toMatchObject([{ rejected: true, errors: [expect.stringContaining("'messages'") as string] }]);
  });

  it('the client sees the 422 as an error', async () => {
    await expect(hostedClient().chatCompletion({ model: 'test/chat-n', messages: [{ role: 'user', content: 'x' }], max_tokens: -1 })).rejects.toThrow(
      /Input validation error/,
    );
    expect(fake.invalid[0]?.errors.join(' ')).toContain('/max_tokens');
  });

  it('an assistant message with both content and tool_calls breaks TGI’s oneOf; without content it passes', async () => {
    const toolCalls = [{ id: 'call_1', type: 'function', function: { name: 'summarize', arguments: '{"text":"x"}' } }];
    const history = (assistant: object) => ({
      model: 'm',
      messages: [
        { role: 'user', content: 'x' },
        { role: 'assistant', ...assistant },
        { role: 'tool', tool_call_id: 'call_1', content: 'done' },
      ],
    });

    expect((await postChat(history({ content: '', tool_calls: toolCalls }))).status).toBe(422);
    expect((await postChat(history({ tool_calls: toolCalls }))).status).toBe(200);
    expect((await postChat(history({ content: null, tool_calls: toolCalls }))).status).toBe(200);
  });

  it('a translation option beside inputs instead of in parameters is refused', async () => {
    fake.setModel('test/translator-b', { task: 'translation' });
    const response = await fetch(`${fake.url}/hf-inference/models/test/translator-b`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ inputs: 'x', tgt_lang: 'fr' }),
    });

    expect(response.status).toBe(422);
    expect(fake.invalid[0]?.errors).toEqual([expect.stringContaining("'tgt_lang'")]);
  });

  it('JSON completions of the fake match TGI’s ChatCompletion schema', async () => {
    fake.script('chat', reply.text('plain'), reply.toolCall('summarize', { text: 'x' }));
    const bodies: unknown[] = [];
    for (let i = 0; i < 2; i++) bodies.push(await (await postChat({ model: 'm', messages: [{ role: 'user', content: 'x' }] })).json());

    expect(bodies.map(checkChatCompletion)).toEqual([[], []]);
  });
});
