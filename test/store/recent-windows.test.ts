import { describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/core/history.js';
import { RecentWindows } from '../../src/store/recent-windows.js';

const message = (id: number, text = `message ${id}`): StoredMessage => ({
  id: String(id),
  conversation: 'web:c',
  direction: 'in',
  user: { id: 'web:ann', name: 'Ann' },
  text,
  attachments: [],
  replyTo: null,
  createdAt: new Date(0),
});
const ids = (messages: StoredMessage[] | undefined) => messages?.map((kept) => kept.id);
const all = { maxChars: 100_000, limit: 50 };

describe('RecentWindows', () => {
  it('answers from a conversation it saw start, and not from one it never read', () => {
    const windows = new RecentWindows();
    windows.started('web:c', message(1));
    windows.append('web:c', [message(2), message(3)]);
    windows.append('web:other', [message(4)]);
    expect(ids(windows.take('web:c', all))).toEqual(['1', '2', '3']);
    expect(ids(windows.take('web:c', { ...all, before: '3' }))).toEqual(['1', '2']);
    expect(windows.take('web:other', all)).toBeUndefined();
  });

  it('says it cannot answer once older messages than it keeps would be needed', () => {
    const windows = new RecentWindows({ conversations: 10, messages: 3, chars: 1000 });
    windows.started('web:c', message(1));
    windows.append('web:c', [message(2), message(3), message(4)]);
    expect(ids(windows.take('web:c', { ...all, limit: 3 }))).toEqual(['2', '3', '4']);
    expect(ids(windows.take('web:c', { maxChars: 22, limit: 50 }))).toEqual(['3', '4']);
    expect(windows.take('web:c', all)).toBeUndefined();
  });

  it('does not keep what a read returned when a write came in while it was in flight', () => {
    const windows = new RecentWindows();
    const load = windows.loading('web:c');
    windows.append('web:c', [message(5)]);
    windows.fill('web:c', [message(1), message(2)], true, load);
    expect(windows.take('web:c', all)).toBeUndefined();
    const again = windows.loading('web:c');
    windows.fill('web:c', [message(1), message(2), message(5)], true, again);
    expect(ids(windows.take('web:c', all))).toEqual(['1', '2', '5']);
  });

  it('drops the least recently used conversation, and everything on clear', () => {
    const windows = new RecentWindows({ conversations: 2, messages: 10, chars: 1000 });
    windows.started('web:a', message(1));
    windows.started('web:b', message(2));
    windows.take('web:a', all);
    windows.started('web:c', message(3));
    expect(windows.take('web:b', all)).toBeUndefined();
    expect(ids(windows.take('web:a', all))).toEqual(['1']);
    windows.clear();
    expect(windows.take('web:a', all)).toBeUndefined();
  });
});
