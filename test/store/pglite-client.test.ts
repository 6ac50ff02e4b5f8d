import { readFile } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { drizzleClient, quoteLiteral } from '../../src/store/pglite-client.js';

let raw: PGlite;
let client: PGlite;

beforeAll(async () => {
  raw = await PGlite.create({ loadDataDir: new Blob([new Uint8Array(await readFile(inject('pgliteTemplate')))]) });
  await raw.exec('create table t (id serial primary key, s text, n integer, b boolean, j jsonb, at timestamptz, bin bytea)');
  client = drizzleClient(raw);
});
afterAll(() => raw.close());

const prepared = async () => (await raw.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements')).rows;

describe('drizzleClient', () => {
  it('returns what the plain query returns, for every kind of value', async () => {
    const insert = 'insert into t (s, n, b, j, at) values ($1, $2, $3, $4::jsonb, $5) returning s, n, b, j, at';
    const values = [
      `it's a \\ "test" 😀 ünï ${'x'.repeat(5000)}`,
      -42,
      true,
      JSON.stringify({ a: [1, 'two'], quote: "'" }),
      new Date('2026-01-02T03:04:05.678Z'),
    ];
    const viaCache = await client.query(insert, values, { rowMode: 'array' });
    const plain = await raw.query(insert, values, { rowMode: 'array' });
    expect(viaCache.rows).toEqual(plain.rows);
    expect(viaCache.fields).toEqual(plain.fields);
    expect((await prepared()).map((row) => row.statement)).toContain(`prepare drizzle_1 as ${insert}`);
  });

  it('keeps nulls and booleans false apart from strings', async () => {
    const { rows } = await client.query<{ s: string | null; b: boolean }>('insert into t (s, b) values ($1, $2) returning s, b', [null, false]);
    expect(rows).toEqual([{ s: null, b: false }]);
  });

  it('runs binary values the plain way', async () => {
    const bytes = new Uint8Array([0, 1, 2, 255]);
    const { rows } = await client.query<{ bin: Uint8Array }>('insert into t (bin) values ($1) returning bin', [bytes]);
    expect(Array.from(rows[0]?.bin ?? [])).toEqual([0, 1, 2, 255]);
    expect((await prepared()).map((row) => row.statement).join('\n')).not.toContain('insert into t (bin)');
  });

  it('answers a statement that cannot be prepared with the error the plain query gives', async () => {
    const plain = await raw.query('select $1 + $2 as v', [1, 2]).catch((error: unknown) => error);
    await expect(client.query('select $1 + $2 as v', [1, 2])).rejects.toMatchObject({ code: (plain as { code: string }).code });
    await expect(client.query('select $1 + $2 as v', [1, 2])).rejects.toMatchObject({ code: '42725' });
  });

  it('uses known statements inside a transaction, never prepares there, and rolls back', async () => {
    const count = async () => (await raw.query<{ n: number }>('select count(*)::int as n from t')).rows[0]?.n;
    const before = await count();
    const preparedBefore = (await prepared()).length;
    await expect(
      client.transaction(async (tx) => {
        await tx.query('insert into t (s, n, b, j, at) values ($1, $2, $3, $4::jsonb, $5) returning s, n, b, j, at', ['in tx', 1, true, '{}', new Date()]);
        await tx.query('insert into t (s) values ($1)', ['new statement']);
        throw new Error('undo');
      }),
    ).rejects.toThrow('undo');
    expect(await count()).toBe(before);
    expect(await prepared()).toHaveLength(preparedBefore);
  });

  it('reports errors of a prepared statement like the plain query does', async () => {
    await client.query('select n from t where n = $1', [1]);
    await expect(client.query('select n from t where n = $1', ['not a number'])).rejects.toMatchObject({ code: '22P02' });
  });
});

describe('quoteLiteral', () => {
  it("quotes exactly as pg's escapeLiteral does", () => {
    const samples = ['plain', "it's", 'back\\slash', "both ' and \\ here", '', 'ünï 😀 中文', "\\'", "''\\\\", 'line\nbreak\ttab', "E'x'"];
    for (const sample of samples) expect(quoteLiteral(sample), sample).toBe(pg.escapeLiteral(sample));
  });
});
