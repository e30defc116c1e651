/**
 * The log store for several replicas: usage events in PostgreSQL through a pg connection pool.
 * A batch is one INSERT … SELECT FROM unnest(column arrays) ON CONFLICT (request_id) DO NOTHING:
 * one statement (so one transaction) with one parameter per column whatever the batch size,
 * which stays far below PostgreSQL's 65535-parameter limit that a multi-row VALUES list would hit.
 *
 * Opening does not require the server to be up: a store opened while PostgreSQL is unreachable
 * migrates on its first successful call, and until then each call fails within the connect
 * timeout, so the event queue can spool and retry (F13). A server that answers with a
 * configuration error (bad password, unknown database) fails the open instead. Reads are keyset
 * pages; scan pages 500 rows at a time instead of holding a server-side cursor (and a pooled
 * connection) open for as long as a slow consumer reads.
 */
import type pg from 'pg';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventFilter, EventPage, EventStore } from './event-store.js';
import {
  EVENT_COLUMN_LIST, EVENT_COLUMNS, fromStoredRow, storableEvents, toStoredValues, type ColumnKind, type StoredValue,
} from './event-columns.js';
import { decodeCursor } from './event-cursor.js';
import { buildPageQuery, clampPageSize, scanPages, toPage } from './event-query.js';
import { createPostgresPool, isConnectivityError, type PostgresStoreOptions } from './postgres-pool.js';
import { migratePostgres } from './postgres-migrations.js';
import { checkSchemaName } from './storage-url.js';
import type { AnalyticsStore, UsageQuery, UsageRow } from '../../analytics/analytics-store.js';
import { postgresUsage, prunePostgresRollups, withRollups } from '../../analytics/postgres-rollups.js';

const SCAN_PAGE_SIZE = 500;
const PRUNE_CHUNK = 5000;

const ARRAY_TYPE: Record<ColumnKind, string> = {
  text: 'text[]', json: 'text[]', int: 'bigint[]', real: 'float8[]', bool: 'boolean[]',
};

function buildInsert(table: string, schema: string): string {
  const arrays = EVENT_COLUMNS.map((c, i) => `$${i + 1}::${ARRAY_TYPE[c.kind]}`).join(', ');
  // The rollups are added by the same statement from the rows actually inserted (RETURNING),
  // so a replayed event counts once and events and rollups commit together.
  return withRollups(schema, `INSERT INTO ${table} (${EVENT_COLUMN_LIST}) SELECT * FROM unnest(${arrays})
    ON CONFLICT (request_id) DO NOTHING RETURNING *`);
}

/** One array per column; a request id repeated inside the batch keeps its first event. */
function toColumnArrays(events: readonly UsageEvent[]): StoredValue[][] {
  const columns: StoredValue[][] = EVENT_COLUMNS.map(() => []);
  const seen = new Set<string>();
  for (const event of events) {
    const values = toStoredValues(event);
    const id = values[0] as string;
    if (seen.has(id)) continue;
    seen.add(id);
    values.forEach((value, i) => columns[i].push(value));
  }
  return columns;
}

class PostgresEventStore implements EventStore, AnalyticsStore {
  private readonly table: string;
  private readonly insertSql: string;
  private migrated: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly pool: pg.Pool, private readonly schema: string) {
    this.table = `${schema}.usage_events`;
    this.insertSql = buildInsert(this.table, schema);
  }

  /** Migrates once; a failed attempt is forgotten so the next call tries again. */
  ready(): Promise<void> {
    this.migrated ??= migratePostgres(this.pool, this.schema).then(
      () => undefined,
      (err: unknown) => {
        this.migrated = null;
        throw err;
      },
    );
    return this.migrated;
  }

  async append(events: readonly UsageEvent[]): Promise<number> {
    const storable = storableEvents(events);
    if (storable.length === 0) return 0;
    await this.ready();
    const result = await this.pool.query<{ inserted: number }>(this.insertSql, toColumnArrays(storable));
    return result.rows[0]?.inserted ?? 0;
  }

  async query(filter: EventFilter, limit: number, cursor?: string | null): Promise<EventPage> {
    const size = clampPageSize(limit);
    const after = decodeCursor(cursor);
    await this.ready();
    const sql = buildPageQuery(this.table, filter, after, size, (n) => `$${n}`);
    const result = await this.pool.query<Record<string, unknown>>(sql.text, sql.params);
    return toPage(result.rows.map(fromStoredRow), size);
  }

  scan(filter: EventFilter): AsyncIterable<UsageEvent> {
    return scanPages((cursor) => this.query(filter, SCAN_PAGE_SIZE, cursor));
  }

  async usage(query: UsageQuery): Promise<UsageRow[]> {
    await this.ready();
    return postgresUsage(this.pool, this.schema, query);
  }

  async prune(before: number): Promise<number> {
    await this.ready();
    await prunePostgresRollups(this.pool, this.schema, before);
    // Chunks keep each statement well inside the statement timeout on a large table.
    const sql = `DELETE FROM ${this.table} WHERE request_id IN
      (SELECT request_id FROM ${this.table} WHERE time < $1 LIMIT ${PRUNE_CHUNK})`;
    let total = 0;
    for (;;) {
      const deleted = (await this.pool.query(sql, [before])).rowCount ?? 0;
      total += deleted;
      if (deleted < PRUNE_CHUNK) return total;
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * Opens the PostgreSQL log store at `url`, creating and migrating `options.schema` (default
 * `public`). Resolves even while the server is unreachable; see the module comment.
 */
export async function openPostgresEventStore(url: string, options: PostgresStoreOptions = {}): Promise<EventStore & AnalyticsStore> {
  const schema = checkSchemaName(options.schema ?? 'public');
  const pool = createPostgresPool(url, options);
  const store = new PostgresEventStore(pool, schema);
  try {
    await store.ready();
  } catch (err) {
    if (!isConnectivityError(err)) {
      await store.close();
      throw err;
    }
  }
  return store;
}
