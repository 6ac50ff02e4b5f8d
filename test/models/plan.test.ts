import { describe, expect, it } from 'vitest';
import type { ConfigError } from '../../src/config.js';
import { loadConfig } from '../../src/config.js';
import { DEFAULT_HF_CHAT_MODEL, describePlan, planModels } from '../../src/models/plan.js';

const hf = { hfToken: true, endpointUrl: false, chains: {} };
const endpoint = { hfToken: false, endpointUrl: true, chains: {} };

describe('planModels', () => {
  it('serves summaries in-process and nothing else when nothing is configured', () => {
    expect(describePlan(planModels({ hfToken: false, endpointUrl: false, chains: {} }))).toEqual([
      'chat: not available (no model configured)',
      'translate: not available (no model configured)',
      'summarize: local',
      'caption: not available (no model configured)',
    ]);
  });

  it('defaults to a public hosted model with HF_TOKEN, and lets the chat model do the other tasks', () => {
    expect(planModels(hf)).toEqual({
      chat: [{ kind: 'huggingface', model: DEFAULT_HF_CHAT_MODEL }],
      translate: [{ kind: 'chat' }],
      summarize: [{ kind: 'chat' }, { kind: 'local' }],
      caption: [{ kind: 'chat' }],
    });
  });

  it('puts the self-hosted endpoint before hosted models when both are there', () => {
    expect(describePlan(planModels({ hfToken: true, endpointUrl: true, chains: {} }))[0]).toBe(
      `chat: endpoint:(the server’s model) -> huggingface:${DEFAULT_HF_CHAT_MODEL}`,
    );
    expect(planModels(endpoint).chat).toEqual([{ kind: 'endpoint', model: '' }]);
  });

  it('takes a configured chain as written, in order', () => {
    const plan = planModels({
      hfToken: true,
      endpointUrl: true,
      chains: { chat: 'endpoint:qwen2.5, huggingface:org/model', translate: 'huggingface:Helsinki-NLP/opus-mt-en-de,chat' },
    });
    expect(plan.chat).toEqual([
      { kind: 'endpoint', model: 'qwen2.5' },
      { kind: 'huggingface', model: 'org/model' },
    ]);
    expect(plan.translate).toEqual([{ kind: 'huggingface', model: 'Helsinki-NLP/opus-mt-en-de' }, { kind: 'chat' }]);
  });
});

describe('model settings in the configuration', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return [];
    } catch (error) {
      return (error as ConfigError).problems;
    }
  };

  it('refuses chains that cannot work, saying why, and never shows the token', () => {
    const found = problems({
      HF_TOKEN: 'hf_secretsecretsecretsecret',
      MODEL_CHAT: 'chat',
      MODEL_TRANSLATE: 'endpoint:x',
      MODEL_SUMMARIZE: 'openai:gpt',
      MODEL_CAPTION: 'local',
      HF_PROVIDER: 'nowhere',
      MODEL_ENDPOINT_URL: 'ftp://gpu',
    });
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringContaining('MODEL_CHAT: "chat" cannot serve the chat task itself'),
        expect.stringContaining('MODEL_TRANSLATE: "endpoint:x": the endpoint speaks chat only'),
        expect.stringContaining('MODEL_SUMMARIZE: "openai:gpt": unknown provider "openai"'),
        expect.stringContaining('MODEL_CAPTION: there is no local model for caption'),
        expect.stringMatching(/^HF_PROVIDER: /),
        expect.stringMatching(/^MODEL_ENDPOINT_URL: must be an http/),
      ]),
    );
    expect(found.join('\n')).not.toContain('hf_secret');
  });

  it('asks for HF_TOKEN when a chain names a hosted model without it', () => {
    expect(problems({ MODEL_CHAT: 'huggingface:org/model' })).toEqual([expect.stringContaining('"huggingface:org/model" needs HF_TOKEN')]);
  });

  it('accepts a self-hosted chat model for chat only, the chat chain for the rest', () => {
    expect(problems({ MODEL_ENDPOINT_URL: 'http://gpu:8080', MODEL_SUMMARIZE: 'endpoint:llama' })).toEqual([
      expect.stringContaining('the endpoint speaks chat only; use "chat"'),
    ]);
    expect(problems({ MODEL_ENDPOINT_URL: 'http://gpu:8080', MODEL_CHAT: 'endpoint:llama', MODEL_SUMMARIZE: 'chat,local' })).toEqual([]);
  });
});
