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
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

const BUSY_TIMEOUT_MS = 5000;

export function openSqliteDatabase(path: string): SqliteDatabase {
  const inMemory = path === ':memory:' || path === '';
  if (!inMemory) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    if (!inMemory) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
  } catch (err) {
    db.close();
    throw err;
  }
  return db;
}
