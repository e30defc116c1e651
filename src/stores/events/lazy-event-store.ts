/**
 * An EventStore that connects on first use and keeps trying: the gateway must start and serve
 * while its log database is unreachable (events spool meanwhile), and pick the database up
 * again without a restart. Connection attempts are spaced by `retryMs`, so a dead database costs
 * one failed attempt per interval, not one per batch.
 */
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventFilter, EventPage, EventStore } from './event-store.js';
import { isAnalyticsStore, type AnalyticsStore, type UsageQuery, type UsageRow } from '../../analytics/analytics-store.js';

export class LazyEventStore implements EventStore, AnalyticsStore {
  private store: EventStore | undefined;
  private connecting: Promise<EventStore> | undefined;
  private lastAttempt = -Infinity;
  private lastError: unknown;
  private closed = false;

  constructor(private readonly open: () => Promise<EventStore>, private readonly retryMs = 5_000, private readonly now = () => Date.now()) {}

  get connected(): boolean {
    return this.store !== undefined;
  }

  private async get(): Promise<EventStore> {
    if (this.store) return this.store;
    // A late caller (a timer, a replay) must not reopen a store after shutdown: that would
    // start a new connection or worker thread that nothing closes.
    if (this.closed) throw new Error('log store is closed');
    if (!this.connecting) {
      if (this.now() - this.lastAttempt < this.retryMs) throw this.lastError ?? new Error('log store unavailable');
      this.lastAttempt = this.now();
      this.connecting = this.open().then(
        (s) => { this.store = s; this.connecting = undefined; return s; },
        (err: unknown) => { this.lastError = err; this.connecting = undefined; throw err; },
      );
    }
    return this.connecting;
  }

  async append(events: readonly UsageEvent[]): Promise<number> {
    return (await this.get()).append(events);
  }

  async query(filter: EventFilter, limit: number, cursor?: string | null): Promise<EventPage> {
    return (await this.get()).query(filter, limit, cursor);
  }

  async *scan(filter: EventFilter): AsyncIterable<UsageEvent> {
    yield* (await this.get()).scan(filter);
  }

  async prune(before: number): Promise<number> {
    return (await this.get()).prune(before);
  }

  /** The rollups of the underlying store (both log stores keep them). */
  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const store = await this.get();
    if (!isAnalyticsStore(store)) throw new Error('this log store keeps no analytics rollups');
    return store.usage(query);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.connecting;
    if (pending) await pending.catch(() => undefined);
    await this.store?.close();
    this.store = undefined;
  }
}
