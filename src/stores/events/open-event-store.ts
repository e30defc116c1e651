/**
 * Opens the log store named by the `storage` setting: `sqlite://path` (the embedded default,
 * e.g. `sqlite://./data/tollgate.db` or `sqlite://:memory:`) or `postgres://…` /
 * `postgresql://…` (optionally `?schema=name`). Both are migrated on open. Pool sizes and
 * timeouts for PostgreSQL are left at their defaults here; callers needing others use
 * openPostgresEventStore directly.
 */
import type { EventStore } from './event-store.js';
import { parseStorageUrl } from './storage-url.js';
import { ThreadedSqliteStore } from './threaded-sqlite-store.js';
import { openPostgresEventStore } from './postgres-event-store.js';

export async function openEventStore(url: string): Promise<EventStore> {
  const target = parseStorageUrl(url);
  // The gateway never runs SQLite on its event loop: the connection lives in a worker thread.
  if (target.kind === 'sqlite') return ThreadedSqliteStore.open(target.path);
  return openPostgresEventStore(target.url, { schema: target.schema });
}
