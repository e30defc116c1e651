/**
 * The PostgreSQL log store's schema, as versioned migrations, and the runner. All pending
 * migrations run in one transaction (PostgreSQL DDL is transactional, so a failure leaves
 * nothing half-applied) after taking an advisory lock per schema, so replicas starting together
 * apply each version once. Applied versions are recorded in `<schema>.schema_migrations`.
 *
 * Types: time is bigint epoch milliseconds, like UsageEvent.time, so rows round-trip exactly and
 * the keyset cursor is the same on both backends (use to_timestamp(time / 1000.0) for ad-hoc SQL).
 * request_id uses the "C" collation: byte order, as in SQLite, and cheaper comparisons.
 * metadata and payload are JSON text rather than jsonb, because jsonb rejects \u0000.
 */
import type pg from 'pg';
import type { Migration } from './migrations.js';
import { pendingMigrations } from './migrations.js';
import { checkSchemaName } from './storage-url.js';
import { rollupMigration } from '../../analytics/rollup-schema.js';

function createUsageEvents(s: string): string {
  return `CREATE TABLE ${s}.usage_events (
  request_id text COLLATE "C" NOT NULL PRIMARY KEY,
  time bigint NOT NULL,
  tenant text,
  key_id text,
  end_user text,
  operation text,
  metadata text,
  endpoint text NOT NULL,
  provider text,
  model text,
  route_alias text,
  status integer NOT NULL,
  error_code text,
  cache_status text,
  attempts integer NOT NULL,
  fallback_index integer NOT NULL,
  latency_ms double precision NOT NULL,
  ttft_ms double precision,
  tokens_in bigint NOT NULL,
  tokens_out bigint NOT NULL,
  tokens_cached bigint NOT NULL,
  tokens_cache_write bigint NOT NULL,
  neurons double precision,
  cost_micros bigint,
  saved_micros bigint NOT NULL,
  stream boolean NOT NULL,
  partial boolean NOT NULL,
  estimated boolean NOT NULL,
  payload text
)`;
}

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: '0001_usage_events',
    statements: (s) => [
      createUsageEvents(s),
      `CREATE INDEX usage_events_time ON ${s}.usage_events (time, request_id)`,
      `CREATE INDEX usage_events_tenant ON ${s}.usage_events (tenant, time, request_id)`,
      `CREATE INDEX usage_events_provider_model ON ${s}.usage_events (provider, model, time, request_id)`,
      `CREATE INDEX usage_events_model ON ${s}.usage_events (model, time, request_id)`,
      `CREATE INDEX usage_events_status ON ${s}.usage_events (status, time, request_id)`,
      `CREATE INDEX usage_events_cache_status ON ${s}.usage_events (cache_status, time, request_id)`,
      `CREATE INDEX usage_events_operation ON ${s}.usage_events (operation, time, request_id)`,
      `CREATE INDEX usage_events_error_code ON ${s}.usage_events (error_code, time, request_id)
        WHERE error_code IS NOT NULL`,
    ],
  },
  // Keys and tenants created through the admin API (src/guards/sql-access-store.ts).
  {
    version: '0100_guard_access',
    statements: (s) => [
      `CREATE TABLE ${s}.guard_keys (id text NOT NULL PRIMARY KEY, name text NOT NULL, tenant text NOT NULL,
        hash text NOT NULL UNIQUE, hint text NOT NULL, settings text NOT NULL,
        created_at bigint NOT NULL, revoked_at bigint)`,
      `CREATE TABLE ${s}.guard_tenants (name text NOT NULL PRIMARY KEY, settings text NOT NULL, updated_at bigint NOT NULL)`,
    ],
  },
  // Hourly analytics rollups (analytics/rollup-schema.ts), backfilled from the rows already stored.
  rollupMigration('postgres'),
  {
    version: '0300_alert_history',
    statements: (s) => [
      `CREATE TABLE ${s}.alert_history (
        id bigserial PRIMARY KEY, at bigint NOT NULL, alert_key text NOT NULL, rule text NOT NULL,
        scope text NOT NULL, state text NOT NULL, severity text NOT NULL, signal text NOT NULL, value double precision NOT NULL,
        threshold double precision NOT NULL, comparison text NOT NULL, since bigint NOT NULL)`,
      `CREATE INDEX alert_history_at ON ${s}.alert_history (at, id)`,
    ],
  },
  // As in SQLite: rows without a tenant or an operation stay out of those indexes (a filter
  // compares with a value, which NULL never matches; `tenant = $1` implies IS NOT NULL).
  {
    version: '0400_partial_label_indexes',
    statements: (s) => [
      `DROP INDEX ${s}.usage_events_tenant`,
      `CREATE INDEX usage_events_tenant ON ${s}.usage_events (tenant, time, request_id) WHERE tenant IS NOT NULL`,
      `DROP INDEX ${s}.usage_events_operation`,
      `CREATE INDEX usage_events_operation ON ${s}.usage_events (operation, time, request_id) WHERE operation IS NOT NULL`,
    ],
  },
];

async function appliedVersions(client: pg.PoolClient, s: string): Promise<Set<string>> {
  await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
    version text NOT NULL PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const result = await client.query<{ version: string }>(`SELECT version FROM ${s}.schema_migrations`);
  return new Set(result.rows.map((r) => r.version));
}

/** Applies what is missing in `schema` (created if needed); returns the versions applied now. */
export async function migratePostgres(
  pool: pg.Pool, schema: string, migrations: readonly Migration[] = POSTGRES_MIGRATIONS,
): Promise<string[]> {
  const s = checkSchemaName(schema);
  const client = await pool.connect();
  let failure: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`tollgate.migrate.${s}`]);
    // CREATE SCHEMA needs the CREATE privilege on the database even when the schema exists.
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [s]);
    if (found.rowCount === 0) await client.query(`CREATE SCHEMA ${s}`);
    const pending = pendingMigrations(migrations, await appliedVersions(client, s));
    for (const migration of pending) {
      for (const statement of migration.statements(s)) await client.query(statement);
      await client.query(`INSERT INTO ${s}.schema_migrations (version) VALUES ($1)`, [migration.version]);
    }
    await client.query('COMMIT');
    return pending.map((m) => m.version);
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    // A connection that failed mid-transaction is discarded rather than returned to the pool.
    client.release(failure);
  }
}
