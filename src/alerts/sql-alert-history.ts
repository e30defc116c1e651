/**
 * Alert history in SQLite or PostgreSQL: one table (`alert_history`) next to the request log,
 * created by the log store's migrations, which this store also applies on open so it works
 * whichever opens the database first. SQLite uses its own connection to the WAL database (the
 * log store's lives in a worker thread); the writes are few and tiny.
 */
import type pg from 'pg';
import { migratePostgres } from '../stores/events/postgres-migrations.js';
import { createPostgresPool } from '../stores/events/postgres-pool.js';
import { openSqliteDatabase, type SqliteDatabase } from '../stores/events/sqlite-connection.js';
import { migrateSqlite } from '../stores/events/sqlite-migrations.js';
import { parseStorageUrl } from '../stores/events/storage-url.js';
import type { AlertTransition } from './alert-lifecycle.js';
import { MAX_HISTORY_PAGE, MemoryAlertHistory, type AlertHistoryQuery, type AlertHistoryStore } from './alert-history-store.js';

const COLUMNS = 'at, alert_key, rule, scope, state, severity, signal, value, threshold, comparison, since';

type Row = Record<string, unknown>;

function values(t: AlertTransition): unknown[] {
  return [t.at, t.key, t.rule, t.scope, t.state, t.severity, t.signal, t.value, t.threshold, t.comparison, t.since];
}

function fromRow(r: Row): AlertTransition {
  return {
    at: Number(r.at), key: String(r.alert_key), rule: String(r.rule), scope: String(r.scope),
    state: r.state as AlertTransition['state'], severity: r.severity as AlertTransition['severity'],
    signal: r.signal as AlertTransition['signal'], value: Number(r.value), threshold: Number(r.threshold),
    comparison: r.comparison as AlertTransition['comparison'], since: Number(r.since),
  };
}

function where(q: AlertHistoryQuery, param: (i: number) => string): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (q.since !== undefined) { args.push(q.since); parts.push(`at >= ${param(args.length)}`); }
  if (q.rule !== undefined) { args.push(q.rule); parts.push(`rule = ${param(args.length)}`); }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

export class SqliteAlertHistory implements AlertHistoryStore {
  private readonly db: SqliteDatabase;

  constructor(path: string) {
    this.db = openSqliteDatabase(path);
    migrateSqlite(this.db);
  }

  async append(t: AlertTransition): Promise<void> {
    this.db.prepare(`INSERT INTO alert_history (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(...values(t));
  }

  async list(q: AlertHistoryQuery): Promise<AlertTransition[]> {
    const w = where(q, () => '?');
    const rows = this.db.prepare(`SELECT ${COLUMNS} FROM alert_history ${w.sql} ORDER BY at DESC, id DESC LIMIT ?`)
      .all(...w.args, Math.min(q.limit, MAX_HISTORY_PAGE)) as Row[];
    return rows.map(fromRow);
  }

  async prune(before: number): Promise<number> {
    return this.db.prepare('DELETE FROM alert_history WHERE at < ?').run(before).changes;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

export class PostgresAlertHistory implements AlertHistoryStore {
  private readonly pool: pg.Pool;
  private ready: Promise<unknown> | undefined;

  constructor(url: string, private readonly schema: string) {
    this.pool = createPostgresPool(url, { schema, poolSize: 2 });
  }

  private migrated(): Promise<unknown> {
    // Retried on the next call after a failure (PostgreSQL may be down at start).
    this.ready ??= migratePostgres(this.pool, this.schema).catch((err: unknown) => { this.ready = undefined; throw err; });
    return this.ready;
  }

  async append(t: AlertTransition): Promise<void> {
    await this.migrated();
    const ps = values(t).map((_, i) => `$${i + 1}`).join(', ');
    await this.pool.query(`INSERT INTO ${this.schema}.alert_history (${COLUMNS}) VALUES (${ps})`, values(t));
  }

  async list(q: AlertHistoryQuery): Promise<AlertTransition[]> {
    await this.migrated();
    const w = where(q, (i) => `$${i}`);
    const res = await this.pool.query(
      `SELECT ${COLUMNS} FROM ${this.schema}.alert_history ${w.sql} ORDER BY at DESC, id DESC LIMIT $${w.args.length + 1}`,
      [...w.args, Math.min(q.limit, MAX_HISTORY_PAGE)],
    );
    return res.rows.map(fromRow);
  }

  async prune(before: number): Promise<number> {
    await this.migrated();
    return (await this.pool.query(`DELETE FROM ${this.schema}.alert_history WHERE at < $1`, [before])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

export function openAlertHistory(storageUrl: string): AlertHistoryStore {
  if (storageUrl.startsWith('none://')) return new MemoryAlertHistory();
  const target = parseStorageUrl(storageUrl);
  return target.kind === 'sqlite' ? new SqliteAlertHistory(target.path) : new PostgresAlertHistory(target.url, target.schema);
}
