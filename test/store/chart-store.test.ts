import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/core/message.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { backends, type TestDatabase } from '../support/databases.js';

let sequence = 0;
function inbound(conversation: string, user: string): Inbound {
  sequence++;
  return {
    eventId: `chart-store:${sequence}:${Math.random()}`,
    conversation: { platform: 'web', key: conversation },
    user: { id: user, name: user },
    text: `message ${sequence}`,
    attachments: [],
    receivedAt: new Date(),
  };
}

describe.each(backends)('stored charts on $name', (backend) => {
  let database: TestDatabase;
  let store: HistoryStore;

  beforeAll(async () => {
    database = await backend.open();
    store = new HistoryStore(database);
  });
  afterAll(() => database.destroy());

  async function chartIn(conversation: string, user: string, title: string): Promise<string> {
    const record = await store.recordInbound(inbound(conversation, user));
    if (record.status !== 'new') throw new Error('expected a new message');
    await store.saveChart({ conversation, messageId: record.messageId, spec: { title, mark: 'bar', data: { values: [{ a: 1 }] } } });
    return record.messageId;
  }

  it('gives the newest chart of each conversation, and none for a conversation without', async () => {
    const one = `web:charts-${Math.random().toString(36).slice(2)}`;
    const two = `web:charts-${Math.random().toString(36).slice(2)}`;
    await chartIn(one, 'web:ann', 'first');
    const second = await chartIn(one, 'web:ann', 'second');
    await chartIn(two, 'web:ann', 'elsewhere');
    expect(await store.lastChart(one)).toMatchObject({ messageId: second, spec: { title: 'second', mark: 'bar', data: { values: [{ a: 1 }] } } });
    expect((await store.lastChart(one))?.createdAt).toBeInstanceOf(Date);
    expect(await store.lastChart(two)).toMatchObject({ spec: { title: 'elsewhere' } });
    expect(await store.lastChart('web:never')).toBeUndefined();
  });

  it('forgets a chart with the message it answered, leaving the charts of others', async () => {
    const conversation = `web:charts-${Math.random().toString(36).slice(2)}`;
    await chartIn(conversation, 'web:amy', 'amy');
    await chartIn(conversation, 'web:zed', 'zed');
    expect(await store.lastChart(conversation)).toMatchObject({ spec: { title: 'zed' } });
    await store.forgetUser('web:zed');
    expect(await store.lastChart(conversation)).toMatchObject({ spec: { title: 'amy' } });
    await store.forgetUser('web:amy');
    expect(await store.lastChart(conversation)).toBeUndefined();
  });
});
