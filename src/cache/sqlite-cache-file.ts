/**
 * The SQLite cache file as both of its users open it: the gateway's main thread reads it
 * (sqlite-cache-store.ts) and the SQLite writer thread writes it (sqlite-cache-writer.ts), each
 * with its own connection, so the schema, pragmas and the handling of a damaged file live here
 * once. Nothing here reads or writes entries.
 *
 * Durability is deliberately traded away: every entry is disposable, so the file runs with
 * synchronous=OFF (no fsync at commit or checkpoint: a miss inserts at a random key, and the
 * fsyncs of the checkpoints it triggers were most of an insert's cost). A power loss can then
 * leave the file damaged; whoever finds it corrupt or not a database deletes it and starts
 * empty rather than failing lookups for ever.
 */
import { rmSync } from 'node:fs';
import { openSqliteDatabase, type SqliteDatabase } from '../stores/events/sqlite-connection.js';

/** SQLite's answers for a damaged file; anything else (busy, full disk) is passed on. */
const DAMAGED = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);

export function isDamaged(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  // Extended codes (SQLITE_CORRUPT_INDEX, …) name the same condition more precisely.
  return typeof code === 'string' && DAMAGED.has(code.split('_', 2).join('_'));
}

/** Opens the file with the cache's schema in place (created when missing). */
export function openCacheFile(path: string): SqliteDatabase {
  const db = openSqliteDatabase(path);
  try {
    db.pragma('synchronous = OFF');
    // A rowid table, not WITHOUT ROWID: entries are whole answers (kilobytes), and SQLite keeps
    // large rows far cheaper out of the key's b-tree (measured: less than half the CPU per
    // insert). The keys are hashes, so every insert lands on a random page of the key's index:
    // indexing a 52-bit number taken from the key (keyNumber) instead of the 80-character key
    // makes that index several times smaller, and an insert about a third cheaper; the key
    // itself is compared on read. Files from before either change held `cache_entries` or
    // `cache_items`; cached answers are disposable, so the old tables are simply dropped.
    db.exec('DROP TABLE IF EXISTS cache_entries');
    db.exec('DROP TABLE IF EXISTS cache_items');
    db.exec('CREATE TABLE IF NOT EXISTS cache_rows (h INTEGER NOT NULL, expires_at INTEGER NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL)');
    db.exec('CREATE INDEX IF NOT EXISTS cache_rows_h ON cache_rows (h)');
    db.exec('CREATE INDEX IF NOT EXISTS cache_rows_expiry ON cache_rows (expires_at)');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}

/**
 * The indexed number of a key: 52 bits of the SHA-256 hex its keys end with (cache-key.ts), or
 * an FNV-1a hash of any other key. Equal keys always get equal numbers; unequal keys may share
 * one, which only costs comparing the key on read.
 */
export function keyNumber(key: string): number {
  const tail = key.slice(-13);
  if (/^[0-9a-f]{13}$/.test(tail)) return parseInt(tail, 16);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Deletes the file with its WAL and shared-memory files (after closing every connection to it). */
export function removeCacheFile(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** Closes a connection that may be to a damaged file (which can refuse to close cleanly). */
export function closeQuietly(db: SqliteDatabase | undefined): void {
  try {
    db?.close();
  } catch {
    // The files go regardless.
  }
}
