/**
 * The shared cache layer on one machine: a small SQLite database of its own (not the request
 * log's), opened lazily on first use, in WAL mode. Writes are queued and committed together in
 * one transaction on the next turn of the event loop, so a request never waits for a disk
 * write; reads are single indexed lookups and only happen when the in-process LRU missed.
 * Expired rows are never returned and are pruned as writes go by.
 *
 * Several gateway processes on one machine may share the file (SQLite's locking serialises
 * writers); across machines use Redis.
 */
import { openSqliteDatabase, type SqliteDatabase } from '../stores/events/sqlite-connection.js';
import type { Clock } from '../resilience/clock.js';
import type { CacheStore } from './cache-store.js';

const PRUNE_EVERY_WRITES = 500;

interface Pending {
  key: string;
  value: string;
  expiresAt: number;
  done: { resolve(): void; reject(err: unknown): void };
}

export class SqliteCacheStore implements CacheStore<string> {
  private db: SqliteDatabase | undefined;
  private queue: Pending[] = [];
  private scheduled = false;
  private writes = 0;

  constructor(private readonly path: string, private readonly now: Clock = Date.now) {}

  private open(): SqliteDatabase {
    if (this.db) return this.db;
    const db = openSqliteDatabase(this.path);
    db.exec('CREATE TABLE IF NOT EXISTS cache_entries (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID');
    db.exec('CREATE INDEX IF NOT EXISTS cache_entries_expiry ON cache_entries (expires_at)');
    this.db = db;
    return db;
  }

  async get(key: string): Promise<string | undefined> {
    const row = this.open().prepare('SELECT value FROM cache_entries WHERE key = ? AND expires_at > ?').get(key, this.now()) as { value: string } | undefined;
    return row?.value;
  }

  set(key: string, value: string, ttlMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, value, expiresAt: this.now() + ttlMs, done: { resolve, reject } });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.commit());
      }
    });
  }

  private commit(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    try {
      const db = this.open();
      const put = db.prepare('INSERT OR REPLACE INTO cache_entries (key, value, expires_at) VALUES (?, ?, ?)');
      db.transaction(() => { for (const p of batch) put.run(p.key, p.value, p.expiresAt); })();
      this.writes += batch.length;
      if (this.writes >= PRUNE_EVERY_WRITES) {
        this.writes = 0;
        db.prepare('DELETE FROM cache_entries WHERE expires_at <= ?').run(this.now());
      }
      for (const p of batch) p.done.resolve();
    } catch (err) {
      for (const p of batch) p.done.reject(err);
    }
  }

  async flush(prefix?: string): Promise<number> {
    const db = this.open();
    // A key range instead of LIKE: no wildcard characters to escape in the prefix.
    const info = prefix === undefined
      ? db.prepare('DELETE FROM cache_entries').run()
      : db.prepare('DELETE FROM cache_entries WHERE key >= ? AND key < ?').run(prefix, `${prefix}\uffff`);
    return info.changes;
  }

  async close(): Promise<void> {
    if (this.queue.length > 0) this.commit();
    this.db?.close();
    this.db = undefined;
  }
}
