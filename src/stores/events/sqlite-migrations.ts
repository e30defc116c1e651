/**
 * The SQLite log store's schema, as versioned migrations, and the runner that applies the
 * missing ones inside one IMMEDIATE transaction (so two processes opening the same file at once
 * cannot both apply a version). Applied versions are recorded in `schema_migrations`.
 *
 * Indexes: every one ends with (time, request_id), the keyset order of queries, so every filter
 * is read newest first with no sort. Only the filters that pick a small slice of a busy log get
 * their own index (tenant, operation, failed statuses), each partial (rows with a tenant, with an
 * operation, with a failed status); the others (provider, model, cache status, error code, a 2xx
 * status) walk the time index. Each index costs every insert a
 * random-position B-tree update, and the embedded store is written on every request, so the
 * embedded default keeps to these four; PostgreSQL, for larger deployments, indexes more.
 */
import type { Migration } from './migrations.js';
import { pendingMigrations } from './migrations.js';
import type { SqliteDatabase } from './sqlite-connection.js';
import { rollupMigration } from '../../analytics/rollup-schema.js';

const CREATE_USAGE_EVENTS = `CREATE TABLE usage_events (
  request_id TEXT NOT NULL PRIMARY KEY,
  time INTEGER NOT NULL,
  tenant TEXT,
  key_id TEXT,
  end_user TEXT,
  operation TEXT,
  metadata TEXT,
  endpoint TEXT NOT NULL,
  provider TEXT,
  model TEXT,
  route_alias TEXT,
  status INTEGER NOT NULL,
  error_code TEXT,
  cache_status TEXT,
  attempts INTEGER NOT NULL,
  fallback_index INTEGER NOT NULL,
  latency_ms REAL NOT NULL,
  ttft_ms REAL,
  tokens_in INTEGER NOT NULL,
  tokens_out INTEGER NOT NULL,
  tokens_cached INTEGER NOT NULL,
  tokens_cache_write INTEGER NOT NULL,
  neurons REAL,
  cost_micros INTEGER,
  saved_micros INTEGER NOT NULL,
  stream INTEGER NOT NULL,
  partial INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  payload TEXT
)`;

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: '0001_usage_events',
    statements: () => [
      CREATE_USAGE_EVENTS,
      'CREATE INDEX usage_events_time ON usage_events (time, request_id)',
      'CREATE INDEX usage_events_tenant ON usage_events (tenant, time, request_id)',
      'CREATE INDEX usage_events_operation ON usage_events (operation, time, request_id)',
      'CREATE INDEX usage_events_errors ON usage_events (status, time, request_id) WHERE status >= 400',
    ],
  },
  // Keys and tenants created through the admin API (src/guards/sql-access-store.ts).
  {
    version: '0100_guard_access',
    statements: () => [
      `CREATE TABLE guard_keys (id TEXT NOT NULL PRIMARY KEY, name TEXT NOT NULL, tenant TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE, hint TEXT NOT NULL, settings TEXT NOT NULL,
        created_at INTEGER NOT NULL, revoked_at INTEGER)`,
      'CREATE TABLE guard_tenants (name TEXT NOT NULL PRIMARY KEY, settings TEXT NOT NULL, updated_at INTEGER NOT NULL)',
    ],
  },
  // Hourly analytics rollups (analytics/rollup-schema.ts), backfilled from the rows already stored.
  rollupMigration('sqlite'),
  {
    version: '0300_alert_history',
    statements: () => [
      `CREATE TABLE alert_history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, alert_key TEXT NOT NULL, rule TEXT NOT NULL,
        scope TEXT NOT NULL, state TEXT NOT NULL, severity TEXT NOT NULL, signal TEXT NOT NULL, value REAL NOT NULL,
        threshold REAL NOT NULL, comparison TEXT NOT NULL, since INTEGER NOT NULL)`,
      'CREATE INDEX alert_history_at ON alert_history (at, id)',
    ],
  },
  // Rows without a tenant or an operation (a gateway without keys, a request without the
  // operation header) stay out of those two indexes: a filter on either compares it with a
  // value, which a NULL never matches, and each index entry cost an insert about a fifth of its
  // time. The planner uses a partial index for `tenant = ?` (the equality implies IS NOT NULL).
  {
    version: '0400_partial_label_indexes',
    statements: () => [
      'DROP INDEX usage_events_tenant',
      'CREATE INDEX usage_events_tenant ON usage_events (tenant, time, request_id) WHERE tenant IS NOT NULL',
      'DROP INDEX usage_events_operation',
      'CREATE INDEX usage_events_operation ON usage_events (operation, time, request_id) WHERE operation IS NOT NULL',
    ],
  },
];

/** Applies what is missing; returns the versions applied now (empty when already current). */
export function migrateSqlite(db: SqliteDatabase, migrations: readonly Migration[] = SQLITE_MIGRATIONS): string[] {
  const run = db.transaction((): string[] => {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version TEXT NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL)`);
    const rows = db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: string }>;
    const pending = pendingMigrations(migrations, new Set(rows.map((r) => r.version)));
    const record = db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)');
    for (const migration of pending) {
      for (const statement of migration.statements('main')) db.exec(statement);
      record.run(migration.version, Date.now());
    }
    return pending.map((m) => m.version);
  });
  return run.immediate();
}
