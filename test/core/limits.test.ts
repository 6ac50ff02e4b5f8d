import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/core/keyed-queue.js';
import { RateLimiter } from '../../src/core/rate-limit.js';
import { createRedactor } from '../../src/core/redact.js';

describe('RateLimiter', () => {
  it('allows a burst, then refills at the rate', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(1000);
    expect(limiter.take('b')).toBe(0);
    now = 500;
    expect(limiter.take('a')).toBe(500);
    now = 1000;
    expect(limiter.take('a')).toBe(0);
  });

  it('gives a refunded token back, up to the burst', () => {
    const limiter = new RateLimiter(1, 1, () => 0);
    expect(limiter.take('a')).toBe(0);
    limiter.refund('a');
    limiter.refund('a');
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBeGreaterThan(0);
  });
});

describe('KeyedQueue', () => {
  it('runs one key in order and other keys alongside', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.run('a', async () => {
      await gate;
      order.push('a1');
    });
    const second = queue.run('a', () => Promise.resolve(order.push('a2')));
    await queue.run('b', () => Promise.resolve(order.push('b1')));
    expect(queue.depth('a')).toBe(2);
    release();
    await Promise.all([first, second]);
    expect(order).toEqual(['b1', 'a1', 'a2']);
    expect(queue.depth('a')).toBe(0);
  });

  it('keeps going after a task fails', async () => {
    const queue = new KeyedQueue();
    await expect(queue.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run('a', () => Promise.resolve(2))).resolves.toBe(2);
  });
});

describe('createRedactor', () => {
  const redact = createRedactor(['s3cret-password']);

  it('removes configured secrets and token shapes', () => {
    const text = [
      'db s3cret-password',
      'hf hf_abcdefghijklmnopqrstuvwxyz0123456789',
      'slack xoxb-1234567890-abcdefghij',
      'discord MTIzNDU2Nzg5MDEyMzQ1Njc4.GaBcDe.abcdefghijklmnopqrstuvwxyz0123',
      'url postgres://app:hunter2@db:5432/x',
    ].join('\n');
    const out = redact(text);
    for (const secret of ['s3cret-password', 'hf_abc', 'xoxb-', 'GaBcDe', 'hunter2']) expect(out).not.toContain(secret);
    expect(out).toContain('postgres://app:[redacted]@db:5432/x');
  });

  it('leaves ordinary text alone', () => {
    const text = 'The sky-is blue. Visit https://example.com/a:b@c? No: it is fine.';
    expect(redact(text)).toBe(text);
  });
});
