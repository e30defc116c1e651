/**
 * AccessStore on the storage database: `guard_keys` and `guard_tenants` (migration
 * `0100_guard_access`), in SQLite or PostgreSQL. Settings are JSON text. Both open lazily and
 * migrate on first use, so a gateway starts while the database is unreachable; the registry
 * then keeps what it had and retries on its next refresh.
 *
 * SQLite calls are synchronous (better-sqlite3) but small and rare — admin changes and a
 * refresh every few seconds — and never made on the request path.
 */
import type pg from 'pg';
import { openSqliteDatabase, type SqliteDatabase } from '../stores/events/sqlite-connection.js';
import { migrateSqlite } from '../stores/events/sqlite-migrations.js';
import { createPostgresPool } from '../stores/events/postgres-pool.js';
import { migratePostgres } from '../stores/events/postgres-migrations.js';
import { KEY_CHANGE_FIELDS, type AccessSnapshot, type AccessStore, type KeyChange, type StoredKey, type StoredTenant } from './access-store.js';

interface KeyRow { id: string; name: string; tenant: string; hash: string; hint: string; settings: string; created_at: number | string; revoked_at: number | string | null }
interface TenantRow { name: string; settings: string; updated_at: number | string }

function keyFrom(r: KeyRow): StoredKey {
  return { id: r.id, name: r.name, tenant: r.tenant, hash: r.hash, hint: r.hint, settings: JSON.parse(r.settings), createdAt: Number(r.created_at), revokedAt: r.revoked_at === null ? null : Number(r.revoked_at) };
}

function tenantFrom(r: TenantRow): StoredTenant {
  return { name: r.name, settings: JSON.parse(r.settings), updatedAt: Number(r.updated_at) };
}

const COLUMNS: Record<keyof KeyChange, string> = { name: 'name', settings: 'settings', hash: 'hash', hint: 'hint', revokedAt: 'revoked_at' };

/** The SET list and its values for the fields a change names (column names are fixed, never input). */
function changeColumns(change: KeyChange, placeholder: (i: number) => string): { set: string; values: unknown[] } {
  const parts: string[] = [];
  const values: unknown[] = [];
  for (const field of KEY_CHANGE_FIELDS) {
    const v = change[field];
    if (v === undefined) continue;
    values.push(field === 'settings' ? JSON.stringify(v) : v);
    parts.push(`${COLUMNS[field]} = ${placeholder(values.length)}`);
  }
  return { set: parts.join(', '), values };
}

const keyParams = (k: StoredKey): unknown[] => [k.id, k.name, k.tenant, k.hash, k.hint, JSON.stringify(k.settings), k.createdAt, k.revokedAt];

export class SqliteAccessStore implements AccessStore {
  private db: SqliteDatabase | undefined;

  constructor(private readonly path: string) {}

  private open(): SqliteDatabase {
    if (!this.db) {
      const db = openSqliteDatabase(this.path);
      try {
        migrateSqlite(db);
      } catch (err) {
        db.close();
        throw err;
      }
      this.db = db;
    }
    return this.db;
  }

  async load(): Promise<AccessSnapshot> {
    const db = this.open();
    return {
      keys: (db.prepare('SELECT * FROM guard_keys ORDER BY created_at, id').all() as KeyRow[]).map(keyFrom),
      tenants: (db.prepare('SELECT * FROM guard_tenants ORDER BY name').all() as TenantRow[]).map(tenantFrom),
    };
  }

  async putKey(k: StoredKey): Promise<void> {
    this.open().prepare(`INSERT INTO guard_keys (id, name, tenant, hash, hint, settings, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, tenant = excluded.tenant, hash = excluded.hash, hint = excluded.hint,
      settings = excluded.settings, created_at = excluded.created_at, revoked_at = excluded.revoked_at`).run(...keyParams(k));
  }

  async updateKey(id: string, change: KeyChange): Promise<boolean> {
    const { set, values } = changeColumns(change, () => '?');
    const db = this.open();
    if (values.length === 0) return db.prepare('SELECT 1 FROM guard_keys WHERE id = ? AND revoked_at IS NULL').get(id) !== undefined;
    return db.prepare(`UPDATE guard_keys SET ${set} WHERE id = ? AND revoked_at IS NULL`).run(...values, id).changes > 0;
  }

  async putTenant(t: StoredTenant, ifUpdatedAt?: number): Promise<boolean> {
    const db = this.open();
    if (ifUpdatedAt !== undefined) {
      return db.prepare('UPDATE guard_tenants SET settings = ?, updated_at = ? WHERE name = ? AND updated_at = ?')
        .run(JSON.stringify(t.settings), t.updatedAt, t.name, ifUpdatedAt).changes > 0;
    }
    db.prepare(`INSERT INTO guard_tenants (name, settings, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (name) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`).run(t.name, JSON.stringify(t.settings), t.updatedAt);
    return true;
  }

  async close(): Promise<void> {
    this.db?.close();
    this.db = undefined;
  }
}

export class PostgresAccessStore implements AccessStore {
  private readonly pool: pg.Pool;
  private migrated: Promise<unknown> | undefined;

  constructor(url: string, private readonly schema: string) {
    this.pool = createPostgresPool(url, { schema, poolSize: 2 });
  }

  private async ready(): Promise<void> {
    this.migrated ??= migratePostgres(this.pool, this.schema).catch((err: unknown) => {
      this.migrated = undefined; // try again next time
      throw err;
    });
    await this.migrated;
  }

  async load(): Promise<AccessSnapshot> {
    await this.ready();
    const s = this.schema;
    const keys = await this.pool.query<KeyRow>(`SELECT * FROM ${s}.guard_keys ORDER BY created_at, id`);
    const tenants = await this.pool.query<TenantRow>(`SELECT * FROM ${s}.guard_tenants ORDER BY name`);
    return { keys: keys.rows.map(keyFrom), tenants: tenants.rows.map(tenantFrom) };
  }

  async putKey(k: StoredKey): Promise<void> {
    await this.ready();
    await this.pool.query(`INSERT INTO ${this.schema}.guard_keys (id, name, tenant, hash, hint, settings, created_at, revoked_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, tenant = EXCLUDED.tenant,
      hash = EXCLUDED.hash, hint = EXCLUDED.hint, settings = EXCLUDED.settings, created_at = EXCLUDED.created_at,
      revoked_at = EXCLUDED.revoked_at`, keyParams(k));
  }

  async updateKey(id: string, change: KeyChange): Promise<boolean> {
    await this.ready();
    const { set, values } = changeColumns(change, (i) => `$${i}`);
    const r = values.length === 0
      ? await this.pool.query(`SELECT 1 FROM ${this.schema}.guard_keys WHERE id = $1 AND revoked_at IS NULL`, [id])
      : await this.pool.query(`UPDATE ${this.schema}.guard_keys SET ${set} WHERE id = $${values.length + 1} AND revoked_at IS NULL`, [...values, id]);
    return (r.rowCount ?? 0) > 0;
  }

  async putTenant(t: StoredTenant, ifUpdatedAt?: number): Promise<boolean> {
    await this.ready();
    if (ifUpdatedAt !== undefined) {
      const r = await this.pool.query(`UPDATE ${this.schema}.guard_tenants SET settings = $1, updated_at = $2 WHERE name = $3 AND updated_at = $4`,
        [JSON.stringify(t.settings), t.updatedAt, t.name, ifUpdatedAt]);
      return (r.rowCount ?? 0) > 0;
    }
    await this.pool.query(`INSERT INTO ${this.schema}.guard_tenants (name, settings, updated_at) VALUES ($1, $2, $3)
      ON CONFLICT (name) DO UPDATE SET settings = EXCLUDED.settings, updated_at = EXCLUDED.updated_at`, [t.name, JSON.stringify(t.settings), t.updatedAt]);
    return true;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
