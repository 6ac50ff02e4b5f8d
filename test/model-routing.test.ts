import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSWER_RUN, ROUTE_RUN } from '../src/core/answer.js';
import { reply, startFakeInference, type FakeInference } from './fakes/inference-server.js';
import { openTestPglite, type TestDatabase } from './support/databases.js';
import { chatBody, chatRequests, HF_TEST_TOKEN, lastText, useHostedServer } from './support/hosted.js';
import { history, PARAGRAPH, postForm, postJson, postStream, type StreamEvent } from './support/http.js';
import { runsOf } from './support/runs.js';
import { startServer, type RunningServer } from './support/server.js';
import { fixture } from './support/shared.js';

const CHAT_MODEL = 'meta-llama/Llama-4-Scout-17B-16E-Instruct';

describe('routing free text through a hosted chat model', () => {
  const setup = useHostedServer({ MODEL_RETRIES: '2', MODEL_TIMEOUT_SECONDS: '2' });

  it('offers every tool but the one that deletes, with the schema from its declaration, and the conversation so far', async () => {
    const first = await postJson(setup.server.url, { user: 'ann', name: 'Ann', text: 'Our launch is on Friday.' });
    const before = chatRequests(setup.hosted).length;
    await postJson(setup.server.url, { conversation: first.body.conversation, user: 'ann', name: 'Ann', text: 'When is the launch?' });
    const body = chatBody(chatRequests(setup.hosted)[before]);
    expect(body.model).toBe(CHAT_MODEL);
    const offered = body.tools?.map((tool) => tool.function.name) ?? [];
    expect(offered).toEqual(setup.server.app.registry.list().flatMap((tool) => (tool.modelCallable ? [tool.name] : [])));
    expect(offered).toEqual(expect.arrayContaining(['describe', 'help', 'summarize', 'translate']));
    expect(offered).not.toContain('forget');
    const summarize = body.tools?.find((tool) => tool.function.name === 'summarize')?.function as { parameters?: { properties?: object } };
    expect(Object.keys(summarize.parameters?.properties ?? {})).toEqual(['text', 'sentences', 'messages', 'hours']);
    expect(body.messages[0]?.role).toBe('system');
    expect(body.messages.slice(1).map((message) => [message.role, message.content])).toEqual([
      ['user', 'Ann: Our launch is on Friday.'],
      ['assistant', 'echo: Ann: Our launch is on Friday.'],
      ['user', 'Ann: When is the launch?'],
    ]);
    expect(setup.hosted.requests.at(-1)?.bearer).toBe(HF_TEST_TOKEN);
  });

  it('runs the tool the model calls, and records both calls with provider, model, tokens and latency', async () => {
    setup.hosted.script('chat', reply.toolCall('summarize', { text: PARAGRAPH, sentences: 2 }, { usage: { prompt_tokens: 321, completion_tokens: 12 } }));
    setup.hosted.script(
      'chat',
      reply.text('- The council debated the budget.\n- The vote is next week.', { usage: { prompt_tokens: 200, completion_tokens: 20 } }),
    );
    const result = await postJson(setup.server.url, { user: 'ann', text: 'Could you boil this down for me: ' + PARAGRAPH });
    expect(result.body.replies?.[0]?.text).toBe('- The council debated the budget.\n- The vote is next week.');
    const summarizing = chatBody(chatRequests(setup.hosted).at(-1));
    expect(summarizing.tools).toBeUndefined();
    expect(summarizing.messages.at(-1)?.content).toBe(PARAGRAPH);
    expect(await runsOf(setup.database, result.body.message)).toMatchObject([
      { tool: ROUTE_RUN, provider: 'huggingface', model: CHAT_MODEL, tokensIn: 321, tokensOut: 12, outcome: 'ok', input: { tool: 'summarize' } },
      { tool: 'summarize', provider: 'huggingface', model: CHAT_MODEL, tokensIn: 200, tokensOut: 20, outcome: 'ok' },
    ]);
    for (const run of await runsOf(setup.database, result.body.message)) expect(run.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it('routes to help and to describe by function calling', async () => {
    setup.hosted.script('chat', reply.toolCall('help', {}));
    const help = await postJson(setup.server.url, { text: 'what are you able to do?' });
    expect(help.body.replies?.[0]?.text).toContain('/summarize');

    setup.hosted.script('chat', reply.toolCall('describe', {}), reply.text('A test card with circles and lines.'));
    const image = await fixture('320x240.jpg');
    const described = await postForm(setup.server.url, { text: 'tell me about this picture' }, [{ name: 'card.jpg', type: 'image/jpeg', bytes: image }]);
    expect(described.body.replies?.[0]?.text).toContain('**card.jpg**: a 320×240 JPEG image');
    expect(described.body.replies?.[0]?.text).toContain('A test card with circles and lines.');
  });

  it('sends the images of a message to the model as image parts', async () => {
    setup.hosted.script('chat', reply.text('It is a test card.'));
    const image = await fixture('Portrait_8.jpg');
    const result = await postForm(setup.server.url, { text: 'what is on this?', name: 'Ann' }, [{ name: 'p.jpg', type: 'image/jpeg', bytes: image }]);
    expect(result.body.replies?.[0]?.text).toBe('It is a test card.');
    const content = chatBody(chatRequests(setup.hosted).at(-1)).messages.at(-1)?.content as Array<{ type: string; text?: string; image_url?: { url: string } }>;
    expect(content[0]).toEqual({ type: 'text', text: 'Ann: what is on this?' });
    expect(content[1]?.image_url?.url).toMatch(/^data:image\/jpeg;base64,\/9j\//);
  });

  it('streams a direct answer as it arrives, and stores it whole', async () => {
    const first = await postJson(setup.server.url, { text: 'hello' });
    const conversation = first.body.conversation ?? '';
    setup.hosted.script('chat', reply.chat(['Paris ', 'is the ', 'capital.'], { chunkDelayMs: 150 }));
    const seen: string[] = [];
    let storedAtFirstDelta = -1;
    const events = await postStream(setup.server.url, { conversation, text: 'What is the capital of France?' }, async (event: StreamEvent) => {
      if (event.event !== 'delta') return;
      seen.push((event.data as { text: string }).text);
      if (storedAtFirstDelta < 0) storedAtFirstDelta = (await history(setup.server.url, conversation)).length;
    });
    expect(seen, JSON.stringify(events)).toEqual(['Paris ', 'is the ', 'capital.']);
    // When the first words arrived, the question was stored and the answer was not yet.
    expect(storedAtFirstDelta).toBe(3);
    const done = events.at(-1);
    expect(done?.event).toBe('done');
    expect((done?.data as { replies: Array<{ text: string }> }).replies[0]?.text).toBe('Paris is the capital.');
    expect(chatBody(chatRequests(setup.hosted).at(-1)).stream).toBe(true);
    expect((await history(setup.server.url, conversation)).at(-1)?.text).toBe('Paris is the capital.');

    setup.hosted.script('chat', reply.chat(['Still ', 'whole.']));
    const plain = await postJson(setup.server.url, { conversation, text: 'And without streaming?' });
    expect(plain.body.replies?.[0]?.text).toBe('Still whole.');
    expect(chatBody(chatRequests(setup.hosted).at(-1)).stream).toBeFalsy();
  });

  it('corrects invalid arguments once, telling the model what was wrong', async () => {
    setup.hosted.script(
      'chat',
      reply.toolCall('summarize', { sentences: 99 }),
      reply.toolCall('summarize', { text: 'One thing. Another thing.' }),
      reply.text('- One thing, then another.'),
    );
    const result = await postJson(setup.server.url, { text: 'sum it up' });
    expect(result.body.replies?.[0]?.text).toBe('- One thing, then another.');
    const retry = chatBody(chatRequests(setup.hosted).at(-2));
    const feedback = retry.messages.at(-1);
    expect(feedback?.role).toBe('tool');
    expect(String(feedback?.content)).toMatch(/The arguments for summarize are invalid \(sentences: .*10/);
  });

  it('corrects a call of an unknown tool, then takes a plain answer', async () => {
    setup.hosted.script('chat', reply.toolCall('weather', { city: 'Oslo' }), reply.text('I cannot check the weather, sorry.'));
    const result = await postJson(setup.server.url, { text: 'weather in Oslo?' });
    expect(result.body.replies?.[0]?.text).toBe('I cannot check the weather, sorry.');
    expect(lastText(chatRequests(setup.hosted).at(-1))).toContain('There is no tool named "weather"');
    expect(await runsOf(setup.database, result.body.message)).toMatchObject([{ tool: ANSWER_RUN, provider: 'huggingface', outcome: 'ok' }]);
  });

  it('after an empty answer and a failed correction, asks for a plain answer without tools', async () => {
    setup.hosted.script('chat', reply.empty(), reply.toolCall('summarize', '{not json'), reply.text('Here is a plain answer.'));
    const before = chatRequests(setup.hosted).length;
    const result = await postJson(setup.server.url, { text: 'hmm' });
    expect(result.body.replies?.[0]?.text).toBe('Here is a plain answer.');
    const calls = chatRequests(setup.hosted).slice(before).map(chatBody);
    expect(calls.map((call) => Boolean(call.tools))).toEqual([true, true, false]);
    expect(String(calls[1]?.messages.at(-1)?.content)).toContain('Your reply was empty.');
  });

  it('retries 500, 503 and 429, waiting the Retry-After it is given', async () => {
    setup.hosted.script('chat', reply.serverError(), reply.rateLimited(1), reply.text('Third time lucky.'));
    const before = chatRequests(setup.hosted).length;
    const result = await postJson(setup.server.url, { text: 'are you there?' });
    expect(result.body.replies?.[0]?.text).toBe('Third time lucky.');
    const attempts = chatRequests(setup.hosted).slice(before);
    expect(attempts).toHaveLength(3);
    expect((attempts[2]?.at ?? 0) - (attempts[1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    setup.hosted.script('chat', reply.unavailable(), reply.text('After a 503.'));
    expect((await postJson(setup.server.url, { text: 'again?' })).body.replies?.[0]?.text).toBe('After a 503.');
  });

  it('gives up after the retries and says so plainly, keeping the question', async () => {
    setup.hosted.script('chat', reply.unavailable(), reply.unavailable(), reply.unavailable());
    const result = await postJson(setup.server.url, { text: 'anyone?' });
    expect(result.status).toBe(200);
    expect(result.body.replies?.[0]?.text).toBe(`The chat model isn't answering right now (tried huggingface:${CHAT_MODEL}). Try again in a minute.`);
    expect(await runsOf(setup.database, result.body.message)).toMatchObject([{ tool: ROUTE_RUN, outcome: 'user_error', errorCode: 'model_unavailable' }]);
    expect((await history(setup.server.url, result.body.conversation ?? '')).map((message) => message.text)).toEqual([
      'anyone?',
      result.body.replies?.[0]?.text,
    ]);
  });

  it('stops waiting for a model at the time limit', async () => {
    setup.hosted.script('chat', reply.hang(), reply.hang(), reply.hang());
    const result = await postJson(setup.server.url, { text: 'slow one' });
    expect(result.body.replies?.[0]?.text).toContain("isn't answering right now");
    expect(
      setup.server.log.lines.some(
        (line) => line.msg?.startsWith('model failed') && String((line.obj as { err?: unknown }).err).includes('no answer within 2000 ms'),
      ),
    ).toBe(true);
  });

  it('treats malformed JSON as a failed model', async () => {
    setup.hosted.script('chat', reply.malformedJson());
    const result = await postJson(setup.server.url, { text: 'broken?' });
    expect(result.body.replies?.[0]?.text).toContain("isn't answering right now");
  });
});

describe('falling back from one provider to the next', () => {
  let database: TestDatabase;
  let hosted: FakeInference;
  let selfHosted: FakeInference;
  let server: RunningServer;

  beforeAll(async () => {
    database = await openTestPglite();
    hosted = await startFakeInference();
    selfHosted = await startFakeInference();
    server = await startServer(
      database,
      {
        HF_TOKEN: HF_TEST_TOKEN,
        MODEL_ENDPOINT_URL: selfHosted.url,
        MODEL_ENDPOINT_TOKEN: 'gpu-secret-token',
        MODEL_CHAT: `huggingface:${CHAT_MODEL},endpoint:`,
      },
      { fetch: hosted.hostedFetch },
    );
  });
  afterAll(async () => {
    await server.close();
    await Promise.all([hosted.close(), selfHosted.close()]);
    await database.destroy();
    expect([...hosted.invalid, ...selfHosted.invalid]).toEqual([]);
  });

  it('asks the self-hosted server when the hosted model refuses, naming the model the server lists', async () => {
    hosted.script('chat', reply.badRequest('model not supported'));
    selfHosted.script('chat', reply.text('From your own GPU.'));
    const result = await postJson(server.url, { text: 'who answers?' });
    expect(result.body.replies?.[0]?.text).toBe('From your own GPU.');
    const call = selfHosted.requests.find((request) => request.route === 'chat');
    expect(chatBody(call).model).toBe('fake-org/fake-served-model');
    expect(call?.bearer).toBe('gpu-secret-token');
    expect(chatRequests(hosted)).toHaveLength(1);
  });

  it('never shows a token, even when a model repeats it', async () => {
    hosted.script('chat', reply.text(`my token is ${HF_TEST_TOKEN} and gpu-secret-token`));
    const result = await postJson(server.url, { text: 'tell me your secrets' });
    expect(result.body.replies?.[0]?.text).toBe('my token is [redacted] and [redacted]');
    expect(JSON.stringify(server.log.lines)).not.toContain(HF_TEST_TOKEN);
  });
});
