/**
 * The SQLite log store as the gateway runs it: the connection lives in a worker thread
 * (sqlite-worker.ts) and this class forwards each EventStore call as a message. Appends cost
 * the main thread one structured clone of the batch; inserts, index updates and fsyncs happen
 * off the event loop. `scan` is keyset pages of `query`, so exports never hold a whole result.
 */
import { Worker } from 'node:worker_threads';
import type { UsageEvent } from '../../metering/usage-event.js';
import { InvalidCursorError } from './event-cursor.js';
import type { EventFilter, EventPage, EventStore } from './event-store.js';
import type { WorkerRequest, WorkerResponse } from './sqlite-worker.js';
import type { AnalyticsStore, UsageQuery, UsageRow } from '../../analytics/analytics-store.js';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const SCAN_PAGE = 500;

const WORKER_YOUNG_GENERATION_MB = 4;

export class ThreadedSqliteStore implements EventStore, AnalyticsStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failed: Error | undefined;

  private constructor(path: string) {
    // The writer's garbage is tiny and short-lived (one batch at a time), so a small young
    // generation is plenty; V8's default would let it grow tens of MiB of resident memory.
    this.worker = new Worker(new URL('./sqlite-worker.js', import.meta.url), { workerData: { path }, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    this.worker.on('message', (res: WorkerResponse) => this.settle(res));
    this.worker.on('error', (err) => this.failAll(err));
    this.worker.on('exit', (code) => this.failAll(new Error(`log store worker exited (${code})`)));
  }

  /** Starts the worker and waits until its store is open and migrated. */
  static async open(path: string): Promise<ThreadedSqliteStore> {
    const store = new ThreadedSqliteStore(path);
    try {
      await store.call({ op: 'prune', before: Number.MIN_SAFE_INTEGER });
    } catch (err) {
      await store.worker.terminate();
      throw err;
    }
    return store;
  }

  private settle(res: WorkerResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (res.ok) return p.resolve(res.result);
    const err = res.error.name === 'InvalidCursorError' ? new InvalidCursorError() : new Error(res.error.message);
    p.reject(err);
  }

  private failAll(err: Error): void {
    this.failed ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private call(req: Request): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...req, id });
    });
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
    if (!this.failed) await this.call({ op: 'close' }).catch(() => undefined);
    await this.worker.terminate();
  }
}
