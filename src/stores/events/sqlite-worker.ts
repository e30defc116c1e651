/**
 * Worker-thread side of the threaded SQLite store: owns the better-sqlite3 connection and
 * answers append/query/prune requests from the main thread. better-sqlite3 is synchronous, and
 * a batch of inserts with index maintenance takes milliseconds; run on the main thread it would
 * stall every request in flight, so the gateway keeps it here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EventFilter, EventStore } from './event-store.js';
import { openSqliteEventStore } from './sqlite-event-store.js';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { AnalyticsStore, UsageQuery } from '../../analytics/analytics-store.js';

export type WorkerRequest =
  | { id: number; op: 'append'; events: UsageEvent[] }
  | { id: number; op: 'query'; filter: EventFilter; limit: number; cursor: string | null }
  | { id: number; op: 'prune'; before: number }
  | { id: number; op: 'usage'; query: UsageQuery }
  | { id: number; op: 'close' };

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: { name: string; message: string } };

async function serve(store: EventStore & AnalyticsStore, req: WorkerRequest): Promise<unknown> {
  switch (req.op) {
    case 'append': return store.append(req.events);
    case 'query': return store.query(req.filter, req.limit, req.cursor);
    case 'prune': return store.prune(req.before);
    case 'usage': return store.usage(req.query);
    case 'close': return store.close();
  }
}

if (parentPort) {
  const port = parentPort;
  const opened = openSqliteEventStore((workerData as { path: string }).path);
  port.on('message', (req: WorkerRequest) => {
    opened
      .then((store) => serve(store, req))
      .then(
        (result) => port.postMessage({ id: req.id, ok: true, result } satisfies WorkerResponse),
        (err: unknown) => {
          const e = err instanceof Error ? err : new Error(String(err));
          port.postMessage({ id: req.id, ok: false, error: { name: e.name, message: e.message } } satisfies WorkerResponse);
        },
      );
  });
}
