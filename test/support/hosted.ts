import { afterAll, beforeAll, expect } from 'vitest';
import { startFakeInference, type FakeInference, type RecordedRequest } from '../fakes/inference-server.js';
import { openTestPglite, type TestDatabase } from './databases.js';
import { startServer, type RunningServer } from './server.js';

export const HF_TEST_TOKEN = 'hf_fake_token_for_tests_0123456789abcdef';

export interface Served {
  database: TestDatabase;
  server: RunningServer;
}

export interface HostedServed extends Served {
  hosted: FakeInference;
}

/**
 * The app on PGlite with HF_TOKEN set and its model client pointed at a fake inference server,
 * for the tests of one describe block; every request the app sent must fit the TGI OpenAPI.
 */
export function useHostedServer(env: Record<string, string> = {}): HostedServed {
  const setup = {} as HostedServed;
  beforeAll(async () => {
    setup.database = await openTestPglite();
    setup.hosted = await startFakeInference();
    setup.server = await startServer(setup.database, { HF_TOKEN: HF_TEST_TOKEN, MODEL_RETRIES: '0', ...env }, { fetch: setup.hosted.hostedFetch });
  });
  afterAll(async () => {
    await setup.server.close();
    await setup.hosted.close();
    await setup.database.destroy();
    expect(setup.hosted.invalid).toEqual([]);
  });
  return setup;
}

/** The app on PGlite with no model configured: keyword rules and the local engines. */
export function useLocalServer(): Served {
  const setup = {} as Served;
  beforeAll(async () => {
    setup.database = await openTestPglite();
    setup.server = await startServer(setup.database);
  });
  afterAll(async () => {
    await setup.server.close();
    await setup.database.destroy();
  });
  return setup;
}

interface ChatBody {
  model?: string;
  stream?: boolean;
  tools?: Array<{ function: { name: string } }>;
  messages: Array<{ role: string; content?: unknown; tool_call_id?: string }>;
}

export const chatRequests = (fake: FakeInference): RecordedRequest[] => fake.requests.filter((request) => request.route === 'chat');
export const chatBody = (request: RecordedRequest | undefined): ChatBody => request?.body as ChatBody;
/** The system prompt of a chat request. */
export const systemText = (request: RecordedRequest | undefined): string => String(chatBody(request).messages[0]?.content);
/** What the last message of a chat request says. */
export const lastText = (request: RecordedRequest | undefined): string => String(chatBody(request).messages.at(-1)?.content);
