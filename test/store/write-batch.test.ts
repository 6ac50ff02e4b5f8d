import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/store/write-batch.js';

/** A write whose batches are recorded and finish when the test says. */
function recordedWrite() {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const write = (items: number[]): Promise<string[]> => {
    batches.push(items);
    return new Promise((resolve) => pending.push(() => resolve(items.map((item) => `done ${item}`))));
  };
  const finishNext = async (): Promise<void> => {
    pending.shift()?.();
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, write, finishNext };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('WriteBatch', () => {
  it('writes what is asked in one turn together, and what comes meanwhile in the next batch', async () => {
    const { batches, write, finishNext } = recordedWrite();
    const batch = new WriteBatch(write, { maxInFlight: 1, maxItems: 10 });
    const first = [1, 2, 3].map((item) => batch.add(item));
    await turn();
    const later = [4, 5].map((item) => batch.add(item));
    await turn();
    expect(batches).toEqual([[1, 2, 3]]);
    await finishNext();
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    await finishNext();
    expect(await Promise.all([...first, ...later])).toEqual(['done 1', 'done 2', 'done 3', 'done 4', 'done 5']);
  });

  it('keeps to the batches in flight and the items per batch it is given', async () => {
    const { batches, write, finishNext } = recordedWrite();
    const batch = new WriteBatch(write, { maxInFlight: 2, maxItems: 2 });
    const all = [1, 2, 3, 4, 5].map((item) => batch.add(item));
    await turn();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    await finishNext();
    expect(batches.at(-1)).toEqual([5]);
    await finishNext();
    await finishNext();
    expect(await Promise.all(all)).toHaveLength(5);
  });

  it('fails every item of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const batch = new WriteBatch((items: number[]) => (++calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(items.map(String))), {
      maxInFlight: 1,
      maxItems: 10,
    });
    const failed = [1, 2].map((item) => batch.add(item));
    for (const result of await Promise.allSettled(failed)) expect(result).toMatchObject({ status: 'rejected', reason: new Error('disk full') });
    expect(await batch.add(3)).toBe('3');
  });

  it('fails the items a write left unanswered', async () => {
    const batch = new WriteBatch((items: number[]) => Promise.resolve(items.slice(1).map(String)), { maxInFlight: 1, maxItems: 10 });
    const results = await Promise.allSettled([batch.add(1), batch.add(2), batch.add(3)]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
  });
});
