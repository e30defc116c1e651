/**
 * The shared cache layer on one machine: a small SQLite database of its own (not the request
 * log's), opened lazily on first use, in WAL mode. Writes are queued and committed together in
 * one transaction at most every WRITE_DELAY_MS (or at once when WRITE_BATCH entries wait), so a
 * request never waits for a disk write and a busy gateway pays one commit per batch, not per
 * answer: every answer is in the in-process LRU already, so the delay is only felt by another
 * process reading the same file. Reads are single indexed lookups through statements prepared
 * once, and only happen when the in-process LRU missed and the file's key filter
 * (sqlite-key-index.ts) says the key may be there: most misses never read the file.
 * Expired rows are never returned and are pruned as writes go by.
 *
 * Several gateway processes on one machine may share the file (SQLite's locking serialises
 * writers); across machines use Redis.
 *
 * Durability is deliberately traded away: every entry is disposable, so the file runs with
 * synchronous=OFF (no fsync at commit or checkpoint: a miss inserts at a random key, and the
 * fsyncs of the checkpoints it triggers were most of an insert's cost). A power loss can then
 * leave the file damaged; a store that finds its file corrupt or not a database deletes it and
 * starts empty rather than failing lookups for ever.
 */
import { rmSync } from 'node:fs';
import { openSqliteDatabase, type SqliteDatabase } from '../stores/events/sqlite-connection.js';
import type { Statement } from 'better-sqlite3';
import type { Clock } from '../resilience/clock.js';
import type { CacheStore } from './cache-store.js';
import { SqliteKeyIndex } from './sqlite-key-index.js';

const PRUNE_EVERY_WRITES = 500;
const WRITE_DELAY_MS = 50;
const WRITE_BATCH = 256;
/** SQLite's answers for a damaged file; anything else (busy, full disk) is passed on. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

function isDamaged(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // Extended codes (SQLITE_CORRUPT_INDEX, …) name the same condition more precisely.
  return typeof code === 'string' && DAMAGED.has(code.split('_', 2).join('_'));
}

interface Statements {
  get: Statement<[string, number]>;
  put: Statement<[string, string, number]>;
  prune: Statement<[number]>;
  putAll: (batch: readonly Pending[]) => void;
}

interface Pending {
  key: string;
  value: string;
  expiresAt: number;
  done: { resolve(): void; reject(err: unknown): void };
}

export class SqliteCacheStore implements CacheStore<string> {
  private db: SqliteDatabase | undefined;
  private sql: Statements | undefined;
  private index: SqliteKeyIndex | undefined;
  private queue: Pending[] = [];
  /** The newest queued write per key, for read-your-writes before the batch commits. */
  private newest = new Map<string, Pending>();
  private timer: NodeJS.Timeout | undefined;
  private writes = 0;

  constructor(private readonly path: string, private readonly now: Clock = Date.now) {}

  /** Files wiped because SQLite reported them damaged. */
  resets = 0;

  private open(): SqliteDatabase {
    return this.db ?? this.guarded(() => this.openFile());
  }

  /** Closes and deletes the damaged file with its WAL and shared-memory files. */
  private wipe(): void {
    this.index?.close();
    this.index = undefined;
    try {
      this.db?.close();
    } catch {
      // A damaged handle may refuse to close cleanly; the files go regardless.
    }
    this.db = undefined;
    this.sql = undefined;
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${this.path}${suffix}`, { force: true });
    this.resets++;
  }

  /** Runs one operation; a damaged file is wiped and the operation tried once more on a fresh one. */
  private guarded<T>(run: () => T): T {
    try {
      return run();
    } catch (err) {
      if (!isDamaged(err)) throw err;
      this.wipe();
      return run();
    }
  }

  private openFile(): SqliteDatabase {
    const db = openSqliteDatabase(this.path);
    try {
      this.prepare(db);
    } catch (err) {
      db.close();
      throw err;
    }
    this.db = db;
    return db;
  }

  private prepare(db: SqliteDatabase): void {
    db.pragma('synchronous = OFF');
    // A rowid table, not WITHOUT ROWID: entries are whole answers (kilobytes), and SQLite keeps
    // large rows far cheaper out of the key's b-tree (measured: less than half the CPU per
    // insert). Files from before that change held `cache_entries`; cached answers are
    // disposable, so the old table is simply dropped.
    db.exec('DROP TABLE IF EXISTS cache_entries');
    db.exec('CREATE TABLE IF NOT EXISTS cache_items (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL)');
    db.exec('CREATE INDEX IF NOT EXISTS cache_items_expiry ON cache_items (expires_at)');
    const put = db.prepare<[string, string, number]>('INSERT OR REPLACE INTO cache_items (key, value, expires_at) VALUES (?, ?, ?)');
    this.sql = {
      get: db.prepare<[string, number]>('SELECT value FROM cache_items WHERE key = ? AND expires_at > ?'),
      put,
      prune: db.prepare<[number]>('DELETE FROM cache_items WHERE expires_at <= ?'),
      putAll: db.transaction((batch: readonly Pending[]) => { for (const p of batch) put.run(p.key, p.value, p.expiresAt); }),
    };
    this.index = new SqliteKeyIndex(db, this.now);
  }

  private statements(): Statements {
    this.open();
    return this.sql!;
  }

  async get(key: string): Promise<string | undefined> {
    // Read-your-writes while a batch waits: the newest queued value for the key wins.
    const waiting = this.pendingValue(key);
    if (waiting !== undefined) return waiting;
    return this.guarded(() => {
      const sql = this.statements();
      if (this.index?.mightHave(key) === false) return undefined;
      return (sql.get.get(key, this.now()) as { value: string } | undefined)?.value;
    });
  }

  /** A key queued for writing, or one the file's key filter may hold (always, before it is open). */
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

  private commit(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.queue;
    this.queue = [];
    this.newest.clear();
    if (batch.length === 0) return;
    try {
      this.guarded(() => this.statements().putAll(batch));
      // Into the filter once in the file (until then `newest` answers reads): a filter rebuilt
      // while the batch waited has then seen it either in its scan or here.
      for (const p of batch) this.index?.add(p.key);
      this.writes += batch.length;
      if (this.writes >= PRUNE_EVERY_WRITES) {
        this.writes = 0;
        this.guarded(() => this.statements().prune.run(this.now()));
      }
      for (const p of batch) p.done.resolve();
    } catch (err) {
      for (const p of batch) p.done.reject(err);
    }
  }

  async flush(prefix?: string): Promise<number> {
    // Answers still waiting to be written belong to the flushed set too: drop them, or they
    // would reappear when the batch commits after the flush.
    const dropped = this.queue.filter((p) => prefix === undefined || p.key.startsWith(prefix));
    this.queue = this.queue.filter((p) => !dropped.includes(p));
    for (const p of dropped) {
      this.newest.delete(p.key);
      p.done.resolve();
    }
    // A key range instead of LIKE: no wildcard characters to escape in the prefix.
    const info = this.guarded(() => prefix === undefined
      ? this.open().prepare('DELETE FROM cache_items').run()
      : this.open().prepare('DELETE FROM cache_items WHERE key >= ? AND key < ?').run(prefix, `${prefix}\uffff`));
    // Emptied: nothing is left to find. A partial flush leaves the filter a superset, still sound.
    if (prefix === undefined) this.index?.reset();
    return info.changes;
  }

  async close(): Promise<void> {
    this.commit();
    this.index?.close();
    this.index = undefined;
    this.db?.close();
    this.db = undefined;
    this.sql = undefined;
  }
}
