// The analytics contract against the embedded SQLite store, directly and through its worker
// thread (the way the gateway runs it), plus the migration backfill of rows stored before it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteEventStore } from '../stores/events/sqlite-event-store.js';
import { ThreadedSqliteStore } from '../stores/events/threaded-sqlite-store.js';
import { migrateSqlite, SQLITE_MIGRATIONS } from '../stores/events/sqlite-migrations.js';
import { analyticsEvents, runAnalyticsContract } from './analytics-store.contract.js';
import { HOUR_MS } from './rollup-schema.js';

runAnalyticsContract('sqlite', () => openSqliteEventStore(':memory:'));

runAnalyticsContract('sqlite (worker thread)', () => ThreadedSqliteStore.open(join(mkdtempSync(join(tmpdir(), 'tollgate-analytics-')), 'a.db')));

test('migration 0200 backfills the rollups from rows stored before it', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'tollgate-backfill-')), 'old.db');
  // Write rows with the pre-analytics schema, then open with every migration.
  const raw = new Database(path);
  migrateSqlite(raw, SQLITE_MIGRATIONS.filter((m) => m.version < '0200'));
  raw.close();
  const events = analyticsEvents(40, 'old');
  const legacy = await openLegacy(path, events);
  assert.equal(legacy, 40);
  const store = await openSqliteEventStore(path);
  const [all] = await store.usage({ from: 0, to: Date.now() + HOUR_MS, groupBy: [] });
  assert.equal(all.requests, 40);
  assert.equal(all.tokensIn, events.reduce((a, e) => a + e.tokensIn, 0));
  await store.close();
});

/** Inserts rows with plain SQL into a database that has only the pre-0200 schema. */
async function openLegacy(path: string, events: ReturnType<typeof analyticsEvents>): Promise<number> {
  const { EVENT_COLUMNS, EVENT_COLUMN_LIST, toStoredValues } = await import('../stores/events/event-columns.js');
  const db = new Database(path);
  const insert = db.prepare(`INSERT INTO usage_events (${EVENT_COLUMN_LIST}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  let n = 0;
  for (const e of events) n += insert.run(...toStoredValues(e).map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v))).changes;
  db.close();
  return n;
}
