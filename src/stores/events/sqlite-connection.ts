/**
 * Opens a SQLite database file the way the log store wants it: parent directory created,
 * write-ahead log, synchronous=NORMAL and a busy timeout. It does not create tables (that is
 * sqlite-migrations.ts) and knows nothing about events.
 *
 * Durability: in WAL mode with synchronous=NORMAL a committed transaction survives the process
 * being killed (the WAL is already in the OS page cache); only an OS crash or power loss can roll
 * back the last few commits, and never corrupts the file. That is the trade chosen for ingest
 * speed. The busy timeout lets a second process (the `tollgate logs` CLI, a migration) wait for
 * the writer instead of failing at once.
 *
 * Memory: better-sqlite3 builds SQLite with a 16 MB page cache per connection, and a gateway
 * holds several (request log writer, reader, cache file), which filled with pages under load and
 * were a large share of its resident memory. Each connection gets SQLite's stock 2 MB instead;
 * the OS page cache keeps the files warm, so a page outside it costs a read from memory, not disk.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

const BUSY_TIMEOUT_MS = 5000;
/** Negative: KiB (SQLite's own default, where better-sqlite3's build sets 16 MB). */
const PAGE_CACHE_KIB = 2000;

export function openSqliteDatabase(path: string): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
