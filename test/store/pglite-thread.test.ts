import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { StoreUnavailableError } from '../../src/core/errors.js';
import { HistoryStore } from '../../src/store/history-store.js';
import { openPglite } from '../../src/store/pglite.js';
import { PgliteThread, type StatementTime } from '../../src/store/pglite-thread.js';

const template = async () => new Blob([new Uint8Array(await readFile(inject('pgliteTemplate')))]);

describe('PGlite in its own thread', () => {
  let thread: PgliteThread;
  const statements: StatementTime[] = [];

  beforeAll(async () => {
    thread = await PgliteThread.start({ template: await template(), onStatement: (time) => statements.push(time) });
    await thread.query('create table t (id integer primary key, s text, at timestamptz, bin bytea)');
  });
  afterAll(() => thread.close());

  it('answers queries as PGlite does, rows as objects or arrays, and says when each ran', async () => {
    const before = performance.now();
    statements.length = 0;
    await thread.query("insert into t values (1, 'one', '2026-01-02T03:04:05Z', '\\x0102')");
    const objects = await thread.query<{ s: string; bin: Uint8Array }>('select s, bin from t where id = $1', [1]);
    expect(objects.rows).toEqual([{ s: 'one', bin: new Uint8Array([1, 2]) }]);
    const arrays = await thread.query('select id, s from t', [], { rowMode: 'array' });
    expect(arrays.rows).toEqual([[1, 'one']]);
    expect(statements).toHaveLength(3);
    for (const time of statements) {
      expect(time.start).toBeGreaterThanOrEqual(before - 1);
      expect(time.end).toBeGreaterThanOrEqual(time.start);
      expect(time.end).toBeLessThanOrEqual(performance.now() + 1);
    }
  });

  it('keeps the text of the types whose parsers are named, as drizzle asks', async () => {
    const keep = (value: string) => value;
    const parsed = await thread.query<{ at: unknown }>('select at from t where id = 1');
    expect(parsed.rows[0]?.at).toBeInstanceOf(Date);
    const kept = await thread.query<{ at: unknown }>('select at from t where id = 1', [], { parsers: { 1184: keep } });
    expect(kept.rows[0]?.at).toBe('2026-01-02 03:04:05+00');
  });

  it('passes a database error on with its code and fields', async () => {
    const failure = thread.query("insert into t values (1, 'again')");
    await expect(failure).rejects.toMatchObject({ code: '23505', constraint: 't_pkey', message: expect.stringContaining('duplicate key') as string });
  });

  it('runs a transaction alone: what comes meanwhile waits for its end; what throws rolls back', async () => {
    const order: string[] = [];
    let outside: Promise<unknown> = Promise.resolve();
    await thread.transaction(async (tx) => {
      await tx.query("insert into t values (2, 'two')");
      outside = thread.query<{ n: number }>('select count(*)::int as n from t').then((result) => order.push(`outside saw ${result.rows[0]?.n}`));
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push('transaction ends');
    });
    await outside;
    expect(order).toEqual(['transaction ends', 'outside saw 2']);

    await expect(
      thread.transaction(async (tx) => {
        await tx.query("insert into t values (3, 'three')");
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect((await thread.query('select id from t order by id', [], { rowMode: 'array' })).rows).toEqual([[1], [2]]);
  });

  it('leaves this thread free while a statement runs there', async () => {
    let turns = 0;
    let running = true;
    const spin = (): void => {
      turns++;
      if (running) setImmediate(spin);
    };
    spin();
    await thread.query('select count(*) from generate_series(1, 1000000)');
    running = false;
    // On the main thread the statement would have held the event loop from start to end.
    expect(turns).toBeGreaterThan(5);
  });
});

describe('the embedded database, opened and closed', () => {
  it('says it is unavailable once closed, as a lost server is', async () => {
    const database = await openPglite({ template: await template() });
    const store = new HistoryStore(database);
    expect(await store.conversationExists('web:nobody')).toBe(false);
    await database.close();
    await expect(store.conversationExists('web:somebody')).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('names the directory it cannot open, without a stack', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'assistant-pglite-'));
    const file = join(dir, 'not-a-directory');
    await writeFile(file, 'x');
    try {
      await expect(openPglite({ dataDir: file })).rejects.toThrow(/^Cannot open the embedded Postgres \(PGlite\) in .*not-a-directory: /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
