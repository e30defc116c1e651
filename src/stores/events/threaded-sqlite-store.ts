/**
 * The SQLite log store as the gateway runs it: the connection lives on the SQLite writer thread
 * (../sqlite-thread.ts, shared with the SQLite cache's writes) and this class forwards each
 * EventStore call as a message. Appends cost the main thread one structured clone of the
 * batch; inserts, index updates and fsyncs happen off the event loop. `scan` is keyset pages
 * of `query`, so exports never hold a whole result.
 */
import type { UsageEvent } from '../../metering/usage-event.js';
import { InvalidCursorError } from './event-cursor.js';
import type { EventFilter, EventPage, EventStore } from './event-store.js';
import type { AnalyticsStore, UsageQuery, UsageRow } from '../../analytics/analytics-store.js';
import { SqliteThread, type ThreadRequest } from '../sqlite-thread.js';

type Request = ThreadRequest extends infer R ? (R extends { store: number } ? Omit<R, 'store'> : never) : never;

const SCAN_PAGE = 500;

export class ThreadedSqliteStore implements EventStore, AnalyticsStore {
  private closed = false;

  private constructor(private readonly thread: SqliteThread, private readonly id: number) {}

  /** Opens the store on the writer thread and waits until it is open and migrated. */
  static async open(path: string): Promise<ThreadedSqliteStore> {
    const thread = SqliteThread.acquire();
    const store = new ThreadedSqliteStore(thread, SqliteThread.storeId());
    try {
      await thread.call({ op: 'open-events', store: store.id, path });
    } catch (err) {
      await thread.release();
      throw err;
    }
    return store;
  }

  private async call(req: Request): Promise<unknown> {
    if (this.closed) throw new Error('the log store is closed');
    try {
      return await this.thread.call({ ...req, store: this.id } as ThreadRequest);
    } catch (err) {
      throw err instanceof Error && err.name === 'InvalidCursorError' ? new InvalidCursorError() : err;
    }
  }

  async append(events: readonly UsageEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    return (await this.call({ op: 'append', events: events as UsageEvent[] })) as number;
  }

  async query(filter: EventFilter, limit: number, cursor: string | null = null): Promise<EventPage> {
    return (await this.call({ op: 'query', filter, limit, cursor })) as EventPage;
  }

  async *scan(filter: EventFilter): AsyncIterable<UsageEvent> {
    let cursor: string | null = null;
    do {
      const page = await this.query(filter, SCAN_PAGE, cursor);
      yield* page.rows;
      cursor = page.nextCursor;
    } while (cursor !== null);
  }

  async prune(before: number): Promise<number> {
    return (await this.call({ op: 'prune', before })) as number;
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    return (await this.call({ op: 'usage', query })) as UsageRow[];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.call({ op: 'close' }).catch(() => undefined);
    this.closed = true;
    await this.thread.release();
  }
}
