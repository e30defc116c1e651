/**
 * The SQLite writer thread (sqlite-thread.ts starts it): owns the better-sqlite3 connections
 * that write, for every log store (append/query/prune/usage) and every SQLite cache file
 * (batched puts, flushes) the process has open, each under the id its main-thread side chose.
 * better-sqlite3 is synchronous, and a batch of inserts with index maintenance takes
 * milliseconds; run on the main thread it would stall every request in flight.
 */
import { parentPort } from 'node:worker_threads';
import type { EventFilter, EventStore } from './events/event-store.js';
import { openSqliteEventStore } from './events/sqlite-event-store.js';
import type { UsageEvent } from '../metering/usage-event.js';
import type { AnalyticsStore, UsageQuery } from '../analytics/analytics-store.js';
import { SqliteCacheWriter, type CacheRow } from '../cache/sqlite-cache-writer.js';

/** What the main thread asks, for the store it opened under `store`. */
export type WorkerRequest = { id: number; store: number } & (
  | { op: 'open-events'; path: string }
  | { op: 'append'; events: UsageEvent[] }
  | { op: 'query'; filter: EventFilter; limit: number; cursor: string | null }
  | { op: 'prune'; before: number }
  | { op: 'usage'; query: UsageQuery }
  | { op: 'open-cache'; path: string }
  | { op: 'cache-put'; rows: CacheRow[]; now: number }
  | { op: 'cache-flush'; prefix: string | undefined }
  | { op: 'cache-wipe' }
  | { op: 'close' }
);

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

type LogStore = EventStore & AnalyticsStore;

const logStores = new Map<number, Promise<LogStore>>();
const cacheWriters = new Map<number, SqliteCacheWriter>();

function logStore(id: number): Promise<LogStore> {
  const s = logStores.get(id);
  if (!s) throw new Error(`log store ${id} is not open`);
  return s;
}

function cacheWriter(id: number): SqliteCacheWriter {
  const w = cacheWriters.get(id);
  if (!w) throw new Error(`cache file ${id} is not open`);
  return w;
}

async function openLogStore(id: number, path: string): Promise<void> {
  const opening = openSqliteEventStore(path);
  logStores.set(id, opening);
  try {
    await opening;
  } catch (err) {
    logStores.delete(id);
    throw err;
  }
}

async function close(id: number): Promise<void> {
  cacheWriters.get(id)?.close();
  cacheWriters.delete(id);
  const s = logStores.get(id);
  logStores.delete(id);
  if (s) await (await s).close();
}

async function serve(req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'open-events': return openLogStore(req.store, req.path);
    case 'append': return (await logStore(req.store)).append(req.events);
    case 'query': return (await logStore(req.store)).query(req.filter, req.limit, req.cursor);
    case 'prune': return (await logStore(req.store)).prune(req.before);
    case 'usage': return (await logStore(req.store)).usage(req.query);
    case 'open-cache': cacheWriters.set(req.store, new SqliteCacheWriter(req.path)); return null;
    case 'cache-put': return cacheWriter(req.store).put(req.rows, req.now);
    case 'cache-flush': return cacheWriter(req.store).flush(req.prefix);
    case 'cache-wipe': return cacheWriter(req.store).wipe();
    case 'close': return close(req.store);
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    serve(req).then(
      (result) => port.postMessage({ id: req.id, ok: true, result } satisfies WorkerResponse),
      (err: unknown) => {
        const e = err instanceof Error ? err : new Error(String(err));
        port.postMessage({ id: req.id, ok: false, error: { name: e.name, message: e.message } } satisfies WorkerResponse);
      },
    );
  });
}
