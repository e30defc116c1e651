// The analytics contract against real PostgreSQL (a private schema per store), plus the
// migration backfill of rows stored before the rollups existed.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPostgresEventStore } from '../stores/events/postgres-event-store.js';
import { createPostgresPool } from '../stores/events/postgres-pool.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../stores/events/postgres-migrations.js';
import { EVENT_COLUMN_LIST, EVENT_COLUMNS, toStoredValues } from '../stores/events/event-columns.js';
import { TestSchemas, testDatabaseUrl } from '../stores/events/postgres-test-database.js';
import { analyticsEvents, runAnalyticsContract } from './analytics-store.contract.js';
import { HOUR_MS } from './rollup-schema.js';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

runAnalyticsContract('postgres', () => openPostgresEventStore(testDatabaseUrl(), { schema: schemas.next(), connectTimeoutMs: 1000 }));

test('postgres migration 0200 backfills the rollups from rows stored before it', async () => {
  const schema = schemas.next();
  const pool = createPostgresPool(testDatabaseUrl(), {});
  const events = analyticsEvents(40, 'old');
  try {
    await migratePostgres(pool, schema, POSTGRES_MIGRATIONS.filter((m) => m.version < '0200'));
    for (const e of events) {
      const values = toStoredValues(e);
      await pool.query(`INSERT INTO ${schema}.usage_events (${EVENT_COLUMN_LIST}) VALUES (${EVENT_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})`, values);
    }
  } finally {
    await pool.end();
  }
  const store = await openPostgresEventStore(testDatabaseUrl(), { schema });
  const [all] = await store.usage({ from: 0, to: Date.now() + HOUR_MS, groupBy: [] });
  assert.equal(all.requests, 40);
  assert.equal(all.tokensIn, events.reduce((a, e) => a + e.tokensIn, 0));
  assert.equal(all.costMicros, events.reduce((a, e) => a + (e.costMicros ?? 0), 0));
  await store.close();
});
