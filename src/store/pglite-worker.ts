/**
 * The embedded database's thread: PGlite runs Postgres compiled to WebAssembly synchronously, so on
 * the main thread every statement would stop every conversation for as long as it runs. Here it
 * answers PgliteRequests from pglite-thread.ts one after another, as PGlite itself does.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { drizzleClient } from './pglite-client.js';
import { errorData, type PgliteRequest, type PgliteResponse, type PgliteStart } from './pglite-protocol.js';

interface OpenTransaction {
  tx: Transaction;
  /** Ends it; `endId` is the request to answer when it has. */
  finish: (commit: boolean, endId: number) => void;
}

/** Thrown inside PGlite's transaction to make it roll back. */
const ROLLBACK = new Error('rolled back as asked');

if (!parentPort) throw new Error('pglite-worker.ts runs as a worker thread');
const port = parentPort;
const send = (message: PgliteResponse, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);
const now = () => performance.timeOrigin + performance.now();

const start = workerData as PgliteStart;
let database: PGlite;
try {
  database = await PGlite.create({
    ...(start.dataDir ? { dataDir: start.dataDir } : {}),
    ...(start.template ? { loadDataDir: new Blob([start.template]) } : {}),
  });
} catch (error) {
  send({ kind: 'failed', error: errorData(error) });
  throw error;
}
const client = drizzleClient(database);
const transactions = new Map<number, OpenTransaction>();
let lastTransaction = 0;
const passingThrough = new Set<number>();

/**
 * drizzle's parsers for date, interval and numeric-array types hand the text on unchanged, for its
 * own mapping, and come with every query. Functions cannot cross threads, so the main thread names
 * the types; the same parsers go into the client's table once (PGlite would copy its whole table
 * to apply them per query).
 */
function passThrough(types: number[]): void {
  for (const type of types) {
    if (passingThrough.has(type)) continue;
    database.parsers[type] = (value: string) => value;
    passingThrough.add(type);
  }
}

function target(tx: number | undefined): Pick<Transaction, 'query'> {
  if (tx === undefined) return client;
  const open = transactions.get(tx);
  if (!open) throw new Error(`no open transaction ${tx}`);
  return open.tx;
}

async function handle(request: PgliteRequest): Promise<void> {
  switch (request.kind) {
    case 'query': {
      passThrough(request.passThrough);
      const ran = now();
      const result = await target(request.tx).query<Record<string, unknown>>(request.sql, request.params, { rowMode: request.rowMode });
      send({ id: request.id, kind: 'done', result, ran: [ran, now()] });
      return;
    }
    case 'begin':
      begin(request.id);
      return;
    case 'end': {
      const open = transactions.get(request.tx);
      if (!open) throw new Error(`no open transaction ${request.tx}`);
      open.finish(request.commit, request.id);
      return;
    }
    case 'dump': {
      const bytes = await (await database.dumpDataDir('none')).arrayBuffer();
      send({ id: request.id, kind: 'done', result: bytes }, [bytes]);
      return;
    }
    case 'close':
      await database.close();
      send({ id: request.id, kind: 'done', result: null });
      port.close();
  }
}

/**
 * Opens a transaction that stays open, holding PGlite's lock, until its `end` request comes; that
 * request is answered once the transaction committed or rolled back (a BEGIN that failed answers this one).
 */
function begin(id: number): void {
  const tx = ++lastTransaction;
  let endId: number | undefined;
  const answer = (error: unknown) =>
    error === undefined || error === ROLLBACK
      ? send({ id: endId ?? id, kind: 'done', result: null })
      : send({ id: endId ?? id, kind: 'error', error: errorData(error) });
  client
    .transaction(async (opened) => {
      const commit = await new Promise<boolean>((resolve) => {
        transactions.set(tx, {
          tx: opened,
          finish: (commitIt, end) => {
            endId = end;
            resolve(commitIt);
          },
        });
        send({ id, kind: 'done', result: tx });
      });
      if (!commit) throw ROLLBACK;
    })
    .then(() => answer(undefined), answer)
    .finally(() => transactions.delete(tx));
}

port.on('message', (request: PgliteRequest) => {
  handle(request).catch((error: unknown) => {
    send({ id: request.id, kind: 'error', error: errorData(error) });
  });
});
send({ kind: 'ready' });
