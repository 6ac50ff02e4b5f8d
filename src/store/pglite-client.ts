import type { PGlite, QueryOptions, Results, Transaction } from '@electric-sql/pglite';

/** Distinct statements prepared at most; queries beyond run as before. */
const MAX_STATEMENTS = 200;

type Query = (query: string, params?: unknown[], options?: QueryOptions) => Promise<Results>;

/**
 * The PGlite client the database thread runs drizzle's statements on, tuned for the statements of
 * a chat turn, where PGlite's own query path spent most of the time: PGlite parses and plans every
 * query again, and a parameterized query costs five protocol round trips into WebAssembly. Each
 * distinct statement is prepared once (PREPARE, outside any transaction) and then run with EXECUTE
 * and quoted literals in one simple-protocol call, about a quarter of the cost. What cannot go that
 * way (binary values, a statement that cannot be prepared) takes PGlite's own query path.
 */
export function drizzleClient(client: PGlite): PGlite {
  const names = new Map<string, Promise<string | null>>();

  const prepare = (query: string): Promise<string | null> => {
    let name = names.get(query);
    if (!name) {
      const candidate = `drizzle_${names.size + 1}`;
      name = client.exec(`prepare ${candidate} as ${query}`).then(
        () => candidate,
        () => null,
      );
      names.set(query, name);
    }
    return name;
  };

  const run = async (
    target: Pick<Transaction, 'query' | 'exec'>,
    query: string,
    params: unknown[] | undefined,
    options: QueryOptions | undefined,
    mayPrepare: boolean,
  ): Promise<Results> => {
    const literals = params?.length ? toLiterals(params) : undefined;
    const known = names.get(query);
    const name = !literals ? null : known ? await known : mayPrepare && names.size < MAX_STATEMENTS ? await prepare(query) : null;
    if (!name || !literals) return target.query(query, params, options);
    const [result] = await target.exec(`execute ${name}(${literals.join(', ')})`, options);
    if (!result) throw new Error(`no result from prepared statement ${name}`);
    return result;
  };

  const query: Query = (text, params, options) => run(client, text, params, options, true);
  const transaction = <T>(work: (tx: Transaction) => Promise<T>): Promise<T> =>
    client.transaction((tx) => {
      // A failed PREPARE would abort the transaction, so inside one only known statements are used.
      const txQuery: Query = (text, params, options) => run(tx, text, params, options, false);
      return work(new Proxy(tx, { get: (target, prop) => (prop === 'query' ? txQuery : (Reflect.get(target, prop, target) as unknown)) }));
    });

  return new Proxy(client, {
    get: (target, prop) => {
      if (prop === 'query') return query;
      if (prop === 'transaction') return transaction;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** Each value as a quoted literal, which Postgres casts to the parameter's type; undefined when one has no text form. */
function toLiterals(params: unknown[]): string[] | undefined {
  const literals: string[] = [];
  for (const value of params) {
    if (value === null || value === undefined) literals.push('NULL');
    else if (typeof value === 'string') literals.push(quoteLiteral(value));
    else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') literals.push(quoteLiteral(String(value)));
    else if (value instanceof Date) literals.push(quoteLiteral(value.toISOString()));
    else return undefined;
  }
  return literals;
}

/**
 * The literal pg's escapeLiteral makes (quotes doubled; with a backslash, an E'' string with
 * backslashes doubled too), built with two replaces instead of its character-by-character
 * concatenation, which made a large share of the garbage of every message.
 */
export function quoteLiteral(value: string): string {
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? ` E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}
