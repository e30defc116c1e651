/**
 * The shared cache layer on one machine: a small SQLite database of its own (not the request
 * log's), in WAL mode. Reads happen here, on the main thread, through statements prepared once,
 * and only when the in-process LRU missed and the file's key filter (sqlite-key-index.ts) says
 * the key may be there: most misses never read the file. Writes are queued and handed to the
 * SQLite writer thread (sqlite-cache-writer.ts) as one batch at most every WRITE_DELAY_MS (or at
 * once when WRITE_BATCH entries wait), so neither a request nor the event loop ever waits for a
 * disk write: a batch's inserts used to stall every request in flight for milliseconds. Until
 * the writer confirms a batch, its entries answer reads from memory (read-your-writes).
 * Expired rows are never returned and are pruned by the writer as writes go by.
 *
 * Several gateway processes on one machine may share the file (SQLite's locking serialises
 * writers); across machines use Redis. The file's schema, durability trade and damage handling
 * are in sqlite-cache-file.ts: a store that finds its file damaged has it deleted and starts
 * empty rather than failing lookups for ever.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../stores/events/sqlite-connection.js';
import { SqliteThread, type ThreadRequest } from '../stores/sqlite-thread.js';
import type { Clock } from '../resilience/clock.js';
import type { CacheStore } from './cache-store.js';
import { closeQuietly, isDamaged, keyNumber, openCacheFile } from './sqlite-cache-file.js';
import type { CacheRow } from './sqlite-cache-writer.js';
import { SqliteKeyIndex } from './sqlite-key-index.js';

/** What this store asks of its writer (the thread adds the store id). */
type WriterRequest = Extract<ThreadRequest, { op: 'cache-put' | 'cache-flush' | 'cache-wipe' }> extends infer R ? (R extends { store: number } ? Omit<R, 'store'> : never) : never;

// Inserts at random keys cost less per row the more of them share a commit (each dirtied page
// of the key's index is written once per commit): a fifth of a second of misses per batch.
const WRITE_DELAY_MS = 200;
const WRITE_BATCH = 1024;

interface Pending {
  key: string;
  value: string;
  expiresAt: number;
  done: { resolve(): void; reject(err: unknown): void };
}

/** The writer thread and this store's id there, once the first write or wipe needed them. */
interface Writer {
  thread: SqliteThread;
  id: number;
  opened: Promise<unknown>;
}

export class SqliteCacheStore implements CacheStore<string> {
  private db: SqliteDatabase | undefined;
  private lookupSql: Statement<[number, string, number]> | undefined;
  private index: SqliteKeyIndex | undefined;
  private writer: Writer | undefined;
  private queue: Pending[] = [];
  /** The newest write per key not yet confirmed by the writer, for read-your-writes. */
  private newest = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  /** Batches handed to the writer and not yet confirmed. */
  private inFlight = new Set<Promise<void>>();

  constructor(private readonly path: string, private readonly now: Clock = Date.now) {}

  /** Files wiped because SQLite reported them damaged. */
  resets = 0;

  private writerOf(): Writer {
    if (this.writer && !this.writer.thread.alive) {
      // The thread died (its calls failed): later writes go to a new one.
      void this.writer.thread.release();
      this.writer = undefined;
    }
    if (!this.writer) {
      const thread = SqliteThread.acquire();
      const id = SqliteThread.storeId();
      this.writer = { thread, id, opened: thread.call({ op: 'open-cache', store: id, path: this.path }) };
    }
    return this.writer;
  }

  private async writerCall(req: WriterRequest): Promise<unknown> {
    const w = this.writerOf();
    await w.opened;
    return w.thread.call({ ...req, store: w.id } as ThreadRequest);
  }

  /** The reader's lookup statement, opening the file first. */
  private reader(): Statement<[number, string, number]> {
    if (this.lookupSql) return this.lookupSql;
    const db = openCacheFile(this.path);
    this.db = db;
    this.lookupSql = db.prepare<[number, string, number]>('SELECT value FROM cache_rows WHERE h = ? AND key = ? AND expires_at > ?');
    this.index = new SqliteKeyIndex(db, this.now);
    return this.lookupSql;
  }

  /** Drops the reader's connection and filter (the file is gone or replaced). */
  private dropReader(): void {
    this.index?.close();
    this.index = undefined;
    closeQuietly(this.db);
    this.db = undefined;
    this.lookupSql = undefined;
  }

  async get(key: string): Promise<string | undefined> {
    // Read-your-writes while a batch waits: the newest unconfirmed value for the key wins.
    const waiting = this.pendingValue(key);
    if (waiting !== undefined) return waiting;
    try {
      const lookup = this.reader();
      if (this.index?.mightHave(key) === false) return undefined;
      return (lookup.get(keyNumber(key), key, this.now()) as { value: string } | undefined)?.value;
    } catch (err) {
      if (!isDamaged(err)) throw err;
      // The writer thread deletes and recreates the file; this lookup is a miss.
      this.dropReader();
      this.resets++;
      await this.writerCall({ op: 'cache-wipe' });
      return undefined;
    }
  }

  /** A key not yet confirmed written, or one the file's key filter may hold (always, before it is open). */
  mightHave(key: string): boolean {
    return this.newest.has(key) || this.index?.mightHave(key) !== false;
  }

  private pendingValue(key: string): string | undefined {
    const p = this.newest.get(key);
    return p && p.expiresAt > this.now() ? p.value : undefined;
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const pending: Pending = { key, value, expiresAt: this.now() + ttlMs, done: { resolve, reject } };
      this.queue.push(pending);
      this.newest.set(key, pending);
      if (this.queue.length >= WRITE_BATCH) this.commit();
      else if (this.timer === undefined) {
        // Not unref'd: a caller awaiting its write must see it land even when nothing else runs.
        this.timer = setTimeout(() => this.commit(), WRITE_DELAY_MS);
      }
    });
  }

  /** Hands the queue to the writer; confirmed keys go into the filter and leave `newest`. */
  private commit(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const rows = batch.map((p): CacheRow => [p.key, p.value, p.expiresAt]);
    const done = this.writerCall({ op: 'cache-put', rows, now: this.now() }).then(
      (result) => {
        if ((result as { reset: boolean }).reset) {
          this.dropReader();
          this.resets++;
        }
        // Into the filter once in the file (until then `newest` answers reads): a filter rebuilt
        // while the batch waited has then seen it either in its scan or here.
        for (const p of batch) {
          this.index?.addOwn(p.key);
          if (this.newest.get(p.key) === p) this.newest.delete(p.key);
          p.done.resolve();
        }
      },
      (err: unknown) => {
        for (const p of batch) {
          if (this.newest.get(p.key) === p) this.newest.delete(p.key);
          p.done.reject(err);
        }
      },
    );
    this.inFlight.add(done);
    void done.finally(() => this.inFlight.delete(done));
  }

  async flush(prefix?: string): Promise<number> {
    // Answers not yet written belong to the flushed set too. Queued ones are dropped; ones
    // already with the writer land before this flush runs there (it handles messages in order)
    // and are deleted by it. Either way they must stop answering reads now.
    const dropped = this.queue.filter((p) => prefix === undefined || p.key.startsWith(prefix));
    this.queue = this.queue.filter((p) => !dropped.includes(p));
    for (const p of dropped) p.done.resolve();
    for (const key of [...this.newest.keys()]) if (prefix === undefined || key.startsWith(prefix)) this.newest.delete(key);
    const changes = (await this.writerCall({ op: 'cache-flush', prefix })) as number;
    // Emptied: nothing is left to find. A partial flush leaves the filter a superset, still sound.
    if (prefix === undefined) this.index?.reset();
    return changes;
  }

  async close(): Promise<void> {
    this.commit();
    await Promise.allSettled([...this.inFlight]);
    this.dropReader();
    const w = this.writer;
    this.writer = undefined;
    if (w) {
      await w.thread.call({ op: 'close', store: w.id }).catch(() => undefined);
      await w.thread.release();
    }
  }
}
