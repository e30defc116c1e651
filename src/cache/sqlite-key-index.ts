/**
 * Which keys a SQLite cache file may hold, as a KeyFilter kept in step with the file, so the
 * store answers most misses without a read. A miss used to be an indexed lookup in the file
 * (under load a larger share of a miss's CPU than the hash that made the key); a filter probe
 * is a fraction of a microsecond. The store adds a key when its write is committed.
 *
 * Lifecycle: the filter is loaded from the file's live keys in chunks between other work (never
 * one long pause on a large file); until then every lookup reads the file. Keys this process
 * writes are added as they are queued. Keys other processes sharing the file write are picked
 * up by reading the rows past the last seen rowid, at most once a second, on a lookup: such a
 * key can miss for up to that second (their writes already wait up to 200 ms for a batch). Rows
 * this process wrote itself are not read back: when the file's highest rowid has grown by
 * exactly the number of rows this process committed since the last look, and that look had
 * read everything, no one else wrote (each insert takes the next rowid), so there is nothing to
 * read. A wrong guess there could only cost a hit on another process's key, never a wrong
 * answer; reading every row back had been about 3 µs per request under load. When
 * the filter has taken more keys than it holds well (CAPACITY), it is rebuilt the same chunked
 * way from the live keys while the old one keeps answering (rows past its scan position reach it
 * through `add` when committed); a file whose live keys alone exceed
 * it gets no filter, so every lookup reads the file, as without one.
 *
 * It never says "no" for a key it was told about; it does not know about deletions, which only
 * cost a read. Any SQLite error drops the filter for good (reads go to the file).
 */
import type { Statement } from 'better-sqlite3';
import type { Clock } from '../resilience/clock.js';
import type { SqliteDatabase } from '../stores/events/sqlite-connection.js';
import { KeyFilter } from './key-filter.js';

const CHUNK = 2_000;
const SYNC_EVERY_MS = 1_000;

interface Row {
  id: number;
  key: string;
}

interface Build {
  filter: KeyFilter;
  from: number;
}

export class SqliteKeyIndex {
  private filter: KeyFilter | undefined;
  private build: Build | undefined;
  private watermark = 0;
  private lastSync = 0;
  private off = false;
  /** Rows this process committed since the last sync (see sync). */
  private ownSinceSync = 0;
  /** The last sync read every row there was (fewer than a chunk). */
  private caughtUp = false;
  private readonly page: Statement<[number, number, number]>;
  private readonly top: Statement<[]>;

  constructor(db: SqliteDatabase, private readonly now: Clock) {
    this.page = db.prepare<[number, number, number]>('SELECT rowid AS id, key FROM cache_rows WHERE rowid > ? AND expires_at > ? ORDER BY rowid LIMIT ?');
    this.top = db.prepare<[]>('SELECT max(rowid) AS id FROM cache_rows');
    this.startBuild();
  }

  /** False only when the file certainly does not hold `key`. */
  mightHave(key: string): boolean {
    if (this.off || this.filter === undefined) return true;
    if (this.now() - this.lastSync >= SYNC_EVERY_MS) this.sync();
    return this.off || this.filter.mightHave(key);
  }

  /** A key this process's writer committed (counted, so sync need not read its row back). */
  addOwn(key: string): void {
    this.ownSinceSync++;
    this.add(key);
  }

  add(key: string): void {
    this.filter?.add(key);
    this.build?.filter.add(key);
    if (this.filter?.saturated && this.build === undefined && !this.off) this.startBuild();
  }

  /** The file was emptied: start from an empty, ready filter. */
  reset(): void {
    this.build = undefined;
    this.filter = new KeyFilter();
    this.watermark = 0;
    this.off = false;
    this.caughtUp = false;
  }

  close(): void {
    this.build = undefined;
    this.off = true;
  }

  private startBuild(): void {
    const build: Build = { filter: new KeyFilter(), from: 0 };
    this.build = build;
    setImmediate(() => this.step(build));
  }

  private step(build: Build): void {
    if (this.build !== build) return; // reset or closed meanwhile
    const rows = this.read(build.from, CHUNK);
    if (rows === undefined) return;
    for (const row of rows) build.filter.add(row.key);
    if (rows.length > 0) build.from = rows[rows.length - 1].id;
    if (rows.length === CHUNK) {
      setImmediate(() => this.step(build));
      return;
    }
    this.build = undefined;
    if (build.filter.saturated) {
      this.off = true; // the live keys alone are more than a filter holds well
      return;
    }
    this.filter = build.filter;
    this.watermark = Math.max(this.watermark, build.from);
    this.caughtUp = false;
    this.lastSync = this.now();
  }

  /** Adds what other processes wrote since the last look. */
  private sync(): void {
    this.lastSync = this.now();
    const own = this.ownSinceSync;
    this.ownSinceSync = 0;
    if (this.caughtUp) {
      const top = this.highest();
      if (top === this.watermark + own) {
        this.watermark = top;
        return;
      }
    }
    const rows = this.read(this.watermark, CHUNK);
    if (rows === undefined) return;
    this.caughtUp = rows.length < CHUNK;
    // Our own committed keys come back here too; skipping what the filter has keeps them from
    // counting twice towards a rebuild. A running build needs none of these rows: its own scan
    // reads every row in rowid order, and a newly written row lands past where it has read.
    for (const row of rows) if (!this.filter?.mightHave(row.key)) this.add(row.key);
    if (rows.length > 0) this.watermark = rows[rows.length - 1].id;
    else this.watermark = Math.min(this.watermark, this.highest());
  }

  /** The highest rowid now (rows past the old highest may reuse ids after a prune). */
  private highest(): number {
    try {
      return (this.top.get() as { id: number | null }).id ?? 0;
    } catch {
      this.close();
      return 0;
    }
  }

  private read(from: number, limit: number): Row[] | undefined {
    try {
      return this.page.all(from, this.now(), limit) as Row[];
    } catch {
      this.close();
      return undefined;
    }
  }
}
