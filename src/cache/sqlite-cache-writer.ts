/**
 * The writing side of one SQLite cache file, run on the SQLite writer thread (sqlite-worker.ts):
 * batches of entries committed in one transaction each, expired rows pruned as writes go by,
 * flushes. A batch insert with its index updates takes milliseconds; on the main thread it
 * stalled every request in flight for that long, once per batch.
 *
 * A file found damaged while writing is deleted and recreated, and the batch written to the
 * new one; the reply says so (`reset`), so the main thread's reader reopens too. Reads never
 * happen here.
 */
import type { Statement } from 'better-sqlite3';
import type { SqliteDatabase } from '../stores/events/sqlite-connection.js';
import { closeQuietly, isDamaged, keyNumber, openCacheFile, removeCacheFile } from './sqlite-cache-file.js';

const PRUNE_EVERY_WRITES = 500;

/** One entry to write: key, entry text, expiry (epoch ms by the gateway's clock). */
export type CacheRow = [key: string, value: string, expiresAt: number];

interface Statements {
  putAll: (rows: readonly CacheRow[]) => void;
  prune: Statement<[number]>;
}

export class SqliteCacheWriter {
  private db: SqliteDatabase | undefined;
  private sql: Statements | undefined;
  private writes = 0;

  constructor(private readonly path: string) {}

  private statements(): Statements {
    if (this.sql) return this.sql;
    const db = openCacheFile(this.path);
    // One row per key: a stored key's older row goes before the new one is added.
    const drop = db.prepare<[number, string]>('DELETE FROM cache_rows WHERE h = ? AND key = ?');
    const put = db.prepare<[number, number, string, string]>('INSERT INTO cache_rows (h, expires_at, key, value) VALUES (?, ?, ?, ?)');
    this.db = db;
    this.sql = {
      putAll: db.transaction((rows: readonly CacheRow[]) => {
        for (const r of rows) {
          const h = keyNumber(r[0]);
          drop.run(h, r[0]);
          put.run(h, r[2], r[0], r[1]);
        }
      }),
      prune: db.prepare<[number]>('DELETE FROM cache_rows WHERE expires_at <= ?'),
    };
    return this.sql;
  }

  /** Runs one operation; a damaged file is replaced and the operation tried once more. */
  private guarded<T>(run: () => T): { result: T; reset: boolean } {
    try {
      return { result: run(), reset: false };
    } catch (err) {
      if (!isDamaged(err)) throw err;
      this.wipe();
      return { result: run(), reset: true };
    }
  }

  /** Writes `rows`; `now` is the gateway's clock, for pruning what has expired. */
  put(rows: readonly CacheRow[], now: number): { reset: boolean } {
    const { reset } = this.guarded(() => this.statements().putAll(rows));
    this.writes += rows.length;
    if (this.writes >= PRUNE_EVERY_WRITES) {
      this.writes = 0;
      this.guarded(() => this.statements().prune.run(now));
    }
    return { reset };
  }

  /** Deletes every entry, or those whose key starts with `prefix`; returns how many. */
  flush(prefix: string | undefined): number {
    // A key range instead of LIKE: no wildcard characters to escape in the prefix.
    return this.guarded(() => {
      this.statements();
      const db = this.db!;
      return prefix === undefined
        ? db.prepare('DELETE FROM cache_rows').run().changes
        : db.prepare('DELETE FROM cache_rows WHERE key >= ? AND key < ?').run(prefix, `${prefix}\uffff`).changes;
    }).result;
  }

  /** Deletes the file and starts an empty one (the main thread found it damaged). */
  wipe(): void {
    closeQuietly(this.db);
    this.db = undefined;
    this.sql = undefined;
    removeCacheFile(this.path);
  }

  close(): void {
    closeQuietly(this.db);
    this.db = undefined;
    this.sql = undefined;
  }
}
