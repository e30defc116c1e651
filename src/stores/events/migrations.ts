/**
 * Versioned schema migrations for the log stores. Each backend keeps an ordered list of
 * migrations (sqlite-migrations.ts, postgres-migrations.ts) and records the versions it applied
 * in a `schema_migrations` table, so running them again applies nothing. Stores migrate when they
 * open; `migrateStorage` is the same step on its own, for the `tollgate migrate` command.
 *
 * A released migration is never edited: a schema change is a new entry with a higher version.
 * Migrations only move forward; there are no down-migrations.
 */
import { parseStorageUrl } from './storage-url.js';
import { openSqliteDatabase } from './sqlite-connection.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { createPostgresPool } from './postgres-pool.js';
import { migratePostgres } from './postgres-migrations.js';

export interface Migration {
  /** Sortable and unique, e.g. `0001_usage_events`. */
  readonly version: string;
  /** The statements, for the given schema (PostgreSQL qualifies names with it; SQLite ignores it). */
  statements(schema: string): readonly string[];
}

/** The migrations of `all` not yet in `applied`, in version order. */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<string>): Migration[] {
  return [...all].sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0))
    .filter((m) => !applied.has(m.version));
}

/** Brings the storage at `url` (`sqlite://…` or `postgres://…`) up to date; lists what it applied. */
export async function migrateStorage(url: string): Promise<{ applied: string[] }> {
  const target = parseStorageUrl(url);
  if (target.kind === 'sqlite') {
    const db = openSqliteDatabase(target.path);
    try {
      return { applied: migrateSqlite(db) };
    } finally {
      db.close();
    }
  }
  // No statement limits: a migration may rebuild an index on a large table.
  const pool = createPostgresPool(target.url, { schema: target.schema, statementTimeoutMs: 0, poolSize: 1 });
  try {
    return { applied: await migratePostgres(pool, target.schema) };
  } finally {
    await pool.end();
  }
}
