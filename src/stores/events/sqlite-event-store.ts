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
import type { RollupSource } from '../../analytics/rollup-batch.js';

const SCAN_PAGE_SIZE = 500;
const PRUNE_CHUNK = 5000;

type SqliteValue = string | number | null;

function toSqliteValues(event: UsageEvent): SqliteValue[] {
  // SQLite has no boolean type; better-sqlite3 refuses to bind JavaScript booleans.
  return toStoredValues(event, true) as SqliteValue[];
}

const at = (name: string): number => EVENT_COLUMNS.findIndex((c) => c.name === name);
const COL = {
  time: at('time'), provider: at('provider'), model: at('model'), tenant: at('tenant'), operation: at('operation'), status: at('status'),
  tokensIn: at('tokens_in'), tokensOut: at('tokens_out'), cacheStatus: at('cache_status'), costMicros: at('cost_micros'),
  savedMicros: at('saved_micros'), latencyMs: at('latency_ms'),
};

/** The rollups read the values as stored (normalised), exactly as the SQL backfill would. */
function rollupSource(v: SqliteValue[]): RollupSource {
  return {
    time: v[COL.time] as number, provider: v[COL.provider] as string | null, model: v[COL.model] as string | null,
    tenant: v[COL.tenant] as string | null, operation: v[COL.operation] as string | null, status: v[COL.status] as number,
    tokensIn: v[COL.tokensIn] as number, tokensOut: v[COL.tokensOut] as number, cacheStatus: v[COL.cacheStatus] as RollupSource['cacheStatus'],
    costMicros: v[COL.costMicros] as number | null, savedMicros: v[COL.savedMicros] as number, latencyMs: v[COL.latencyMs] as number,
  };
}

class SqliteEventStore implements EventStore, AnalyticsStore {
  private readonly rollups: SqliteRollups;
  private readonly insertBatch: (events: readonly UsageEvent[]) => number;
  private readonly pruneChunk: Statement<[number]>;
  private readonly selects = new Map<string, Statement>();

  constructor(private readonly db: SqliteDatabase) {
    const placeholders = EVENT_COLUMNS.map(() => '?').join(', ');
    const insert = db.prepare<SqliteValue[]>(
      `INSERT OR IGNORE INTO usage_events (${EVENT_COLUMN_LIST}) VALUES (${placeholders})`);
    const rollups = (this.rollups = new SqliteRollups(db));
    this.insertBatch = db.transaction((events: readonly UsageEvent[]): number => {
      const inserted: RollupSource[] = [];
      for (const event of events) {
        const values = toSqliteValues(event);
        // Only rows actually inserted reach the rollups: a replayed event counts once.
        if (insert.run(...values).changes > 0) inserted.push(rollupSource(values));
      }
      if (inserted.length > 0) rollups.add(inserted);
      return inserted.length;
    });
    this.pruneChunk = db.prepare<[number]>(`DELETE FROM usage_events WHERE rowid IN
      (SELECT rowid FROM usage_events WHERE time < ? LIMIT ${PRUNE_CHUNK})`);
  }

  async append(events: readonly UsageEvent[]): Promise<number> {
    const storable = storableEvents(events);
    if (storable.length === 0) return 0;
    return this.insertBatch(storable);
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
