import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createModels } from '../../src/models/index.js';
import { reply, startFakeInference, type FakeInference } from '../fakes/inference-server.js';
import { HF_TEST_TOKEN } from '../support/hosted.js';
import { silentLog } from '../support/log.js';

const call = () => ({ signal: new AbortController().signal });

let fake: FakeInference;
beforeAll(async () => {
  fake = await startFakeInference();
});
afterAll(async () => {
  await fake.close();
  expect(fake.invalid).toEqual([]);
});

function models(env: Record<string, string>) {
  return createModels(loadConfig({ HF_TOKEN: HF_TEST_TOKEN, MODEL_RETRIES: '1', ...env }), silentLog, fake.hostedFetch).models;
}

describe('task models on Hugging Face Inference Providers', () => {
  it('translates with a translation model through the task API', async () => {
    fake.setModel('Helsinki-NLP/opus-mt-en-fr-t1', { task: 'translation' });
    fake.script('translation', reply.translation('Bonjour le monde'));
    const result = await models({ MODEL_TRANSLATE: 'huggingface:Helsinki-NLP/opus-mt-en-fr-t1' }).translate({ text: 'Hello world', target: 'fr' }, call());
    expect(result).toMatchObject({ text: 'Bonjour le monde', provider: 'huggingface', model: 'Helsinki-NLP/opus-mt-en-fr-t1' });
    const sent = fake.requests.at(-1);
    expect(sent?.path).toBe('/hf-inference/models/Helsinki-NLP/opus-mt-en-fr-t1');
    expect(sent?.body).toEqual({ inputs: 'Hello world', parameters: { tgt_lang: 'fr' } });
  });

  it('tells a translation model the source language, found in-process when the text is long enough', async () => {
    fake.setModel('facebook/m2m100-t3', { task: 'translation' });
    fake.script('translation', reply.translation('Le conseil votera la semaine prochaine.'));
    const text = 'The city council will vote on the new budget next week, after the hearing.';
    await models({ MODEL_TRANSLATE: 'huggingface:facebook/m2m100-t3' }).translate({ text, target: 'fr' }, call());
    expect(fake.requests.at(-1)?.body).toEqual({ inputs: text, parameters: { tgt_lang: 'fr', src_lang: 'en' } });
  });

  it('summarizes with a summarization model, and captions with an image-to-text model', async () => {
    fake.setModel('facebook/bart-large-cnn-t2', { task: 'summarization' });
    fake.setModel('Salesforce/blip-t2', { task: 'image-to-text' });
    fake.script('summarization', reply.summary('The council will vote.'));
    fake.script('image-to-text', reply.caption('a red square'));
    const service = models({ MODEL_SUMMARIZE: 'huggingface:facebook/bart-large-cnn-t2', MODEL_CAPTION: 'huggingface:Salesforce/blip-t2' });
    const summary = await service.summarize({ passages: [{ speaker: 'Ann', text: 'The council met. It will vote.' }], points: 2 }, call());
    expect(summary.text).toBe('The council will vote.');
    expect(fake.requests.at(-1)?.body).toEqual({ inputs: 'Ann: The council met. It will vote.' });
    const image = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#ff0000' } })
      .png()
      .toBuffer();
    const caption = await service.caption({ image: new Uint8Array(image), mime: 'image/png' }, call());
    expect(caption).toMatchObject({ text: 'a red square', model: 'Salesforce/blip-t2' });
  });

  it('has the chat model do a task through a prompt', async () => {
    fake.script('chat', reply.text('Hallo Welt', { usage: { prompt_tokens: 30, completion_tokens: 3 } }));
    const result = await models({}).translate({ text: 'Hello world', target: 'de' }, call());
    expect(result).toMatchObject({ text: 'Hallo Welt', provider: 'huggingface', usage: { inputTokens: 30, outputTokens: 3 } });
    const body = fake.requests.at(-1)?.body as { messages: Array<{ role: string; content: string }> };
    expect(body.messages[0]?.content).toContain('into German (de)');
    expect(body.messages[1]).toEqual({ role: 'user', content: 'Hello world' });
  });

  it('falls back along the chain: a failing chat model, then the in-process summarizer', async () => {
    fake.script('chat', reply.badRequest('no such model'));
    const passages = [{ text: 'The budget grew by four percent this year. The parks budget was cut to close the gap. The council votes next week.' }];
    const result = await models({}).summarize({ passages, points: 1 }, call());
    expect(result.provider).toBe('local');
    expect(result.text).toMatch(/^- The/);
  });

  it('takes an empty answer from a task model as a failure and asks the next', async () => {
    fake.setModel('org/empty-translator-t5', { task: 'translation' });
    fake.script('translation', reply.translation(''));
    fake.script('chat', reply.text('Hola'));
    const result = await models({ MODEL_TRANSLATE: 'huggingface:org/empty-translator-t5,chat' }).translate({ text: 'Hi', target: 'es' }, call());
    expect(result.text).toBe('Hola');
  });

  it('answers a task with no model with what to configure', async () => {
    const none = createModels(loadConfig({}), silentLog, fake.hostedFetch).models;
    expect(none.has('translate')).toBe(false);
    await expect(none.translate({ text: 'Hi', target: 'fr' }, call())).rejects.toMatchObject({
      code: 'no_model',
      message: expect.stringMatching(
        /No model is set up for translations here\. An operator can set HF_TOKEN .*MODEL_ENDPOINT_URL .*MODEL_TRANSLATE/,
      ) as string,
    });
  });
});
