/**
 * The embedded log store: usage events in one SQLite file (better-sqlite3), the default when no
 * PostgreSQL is configured. A batch is one transaction of prepared INSERT OR IGNORE statements,
 * so a replayed event whose request id is already stored is skipped, not duplicated.
 *
 * better-sqlite3 is synchronous: each call blocks the event loop for as long as SQLite works.
 * That is acceptable here because the request path never calls the store; the event queue hands
 * it batches off that path, and a batch of a few hundred rows takes about a millisecond. Pages are
 * capped at 1000 rows, and scan and prune work in bounded steps (pages, delete chunks) with
 * turns of the event loop in between, for the same reason. No statement is kept open across an
 * await, which better-sqlite3 would refuse while a write runs.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Statement } from 'better-sqlite3';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventFilter, EventPage, EventStore } from './event-store.js';
import { EVENT_COLUMN_LIST, EVENT_COLUMNS, fromStoredRow, storableEvents, toStoredValues } from './event-columns.js';
import { decodeCursor } from './event-cursor.js';
import { buildPageQuery, clampPageSize, scanPages, toPage } from './event-query.js';
import { openSqliteDatabase, type SqliteDatabase } from './sqlite-connection.js';
import { migrateSqlite } from './sqlite-migrations.js';
import type { AnalyticsStore, UsageQuery, UsageRow } from '../../analytics/analytics-store.js';
import { SqliteRollups } from '../../analytics/sqlite-rollups.js';

const SCAN_PAGE_SIZE = 500;
const PRUNE_CHUNK = 5000;

type SqliteValue = string | number | null;

function toSqliteValues(event: UsageEvent): SqliteValue[] {
  // SQLite has no boolean type; better-sqlite3 refuses to bind JavaScript booleans.
  return toStoredValues(event).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));
}

class SqliteEventStore implements EventStore, AnalyticsStore {
  private readonly rollups: SqliteRollups;
  private readonly insertBatch: (rows: SqliteValue[][]) => number;
  private readonly pruneChunk: Statement<[number]>;
  private readonly selects = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {
    const placeholders = EVENT_COLUMNS.map(() => '?').join(', ');
    const insert = db.prepare<SqliteValue[]>(
      `INSERT OR IGNORE INTO usage_events (${EVENT_COLUMN_LIST}) VALUES (${placeholders})`);
    const rollups = (this.rollups = new SqliteRollups(db));
    this.insertBatch = db.transaction((rows: SqliteValue[][]): number => {
      let inserted = 0;
      for (const row of rows) {
        const added = insert.run(...row).changes;
        // Only rows actually inserted reach the rollups: a replayed event counts once.
        if (added > 0) rollups.mark(row[0] as string);
        inserted += added;
      }
      if (inserted > 0) rollups.flushMarked();
      return inserted;
    });
    this.pruneChunk = db.prepare<[number]>(`DELETE FROM usage_events WHERE rowid IN
      (SELECT rowid FROM usage_events WHERE time < ? LIMIT ${PRUNE_CHUNK})`);
  }

  async append(events: readonly UsageEvent[]): Promise<number> {
    const storable = storableEvents(events);
    if (storable.length === 0) return 0;
    return this.insertBatch(storable.map(toSqliteValues));
  }

  async query(filter: EventFilter, limit: number, cursor?: string | null): Promise<EventPage> {
    const size = clampPageSize(limit);
    const sql = buildPageQuery('usage_events', filter, decodeCursor(cursor), size, () => '?');
    let statement = this.selects.get(sql.text);
    if (!statement) {
      // One statement per filter combination: a bounded set (the filter has ten optional keys).
      statement = this.db.prepare(sql.text);
      this.selects.set(sql.text, statement);
    }
    const rows = statement.all(...sql.params) as Array<Record<string, unknown>>;
    return toPage(rows.map(fromStoredRow), size);
  }

  scan(filter: EventFilter): AsyncIterable<UsageEvent> {
    return scanPages((cursor) => this.query(filter, SCAN_PAGE_SIZE, cursor));
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    return this.rollups.usage(query);
  }

  async prune(before: number): Promise<number> {
    let total = 0;
    this.rollups.prune(before);
    for (;;) {
      const deleted = this.pruneChunk.run(before).changes;
      total += deleted;
      if (deleted < PRUNE_CHUNK) return total;
      // Let queued appends and queries in between chunks of a large retention pass.
      await nextTurn();
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating if needed) the SQLite log store at `path` (or ':memory:') and migrates it. */
export async function openSqliteEventStore(path: string): Promise<EventStore & AnalyticsStore> {
  const db = openSqliteDatabase(path);
  try {
    migrateSqlite(db);
  } catch (err) {
    db.close();
    throw err;
  }
  return new SqliteEventStore(db);
}
