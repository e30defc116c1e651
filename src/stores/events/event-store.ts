/**
 * The log store interface: where UsageEvents are kept for querying and export. Every backend
 * (SQLite embedded, PostgreSQL for several replicas) implements exactly this and passes the
 * one shared contract suite (event-store.contract.ts).
 *
 * Writes are idempotent by requestId: replaying a spool after an outage never duplicates rows.
 * The request path never calls a store directly; the event queue batches into `append`.
 */
import type { CacheStatus, UsageEvent } from '../../metering/usage-event.js';

export interface EventFilter {
  /** Inclusive lower bound, epoch ms. */
  from?: number;
  /** Exclusive upper bound, epoch ms. */
  to?: number;
  cacheStatus?: CacheStatus;
  provider?: string;
  model?: string;
  status?: number;
  tenant?: string;
  operation?: string;
  requestId?: string;
  errorCode?: string;
}

export interface EventPage {
  rows: UsageEvent[];
  /** Opaque cursor for the next (older) page; null when there is none. */
  nextCursor: string | null;
}

export interface EventStore {
  /** Inserts a batch in one transaction; rows whose requestId exists are ignored. Returns rows inserted. */
  append(events: readonly UsageEvent[]): Promise<number>;
  /** Newest first, keyset-paginated by (time, requestId). `limit` is capped at 1000. */
  query(filter: EventFilter, limit: number, cursor?: string | null): Promise<EventPage>;
  /** Streams every matching row, newest first, without holding the result in memory. */
  scan(filter: EventFilter): AsyncIterable<UsageEvent>;
  /** Deletes rows older than `before` (epoch ms); returns how many. */
  prune(before: number): Promise<number>;
  close(): Promise<void>;
}
