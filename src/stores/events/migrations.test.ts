import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateStorage, pendingMigrations, type Migration } from './migrations.js';
import { migrateSqlite, SQLITE_MIGRATIONS } from './sqlite-migrations.js';
import { migratePostgres, POSTGRES_MIGRATIONS } from './postgres-migrations.js';
import { openSqliteDatabase } from './sqlite-connection.js';
import { createPostgresPool } from './postgres-pool.js';
import { EVENT_COLUMN_LIST, EVENT_COLUMNS, toStoredValues } from './event-columns.js';
import { makeEvent } from './event-fixtures.js';
import { openSqliteEventStore } from './sqlite-event-store.js';
import { TestSchemas, testDatabaseUrl, withClient } from './postgres-test-database.js';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

const extra: Migration = { version: '9999_extra', statements: (s) => [`CREATE TABLE ${s}.extra_table (id integer)`] };
const columnNames = EVENT_COLUMNS.map((c) => c.name).sort();

test('pendingMigrations returns the missing ones in version order', () => {
  const m = (version: string): Migration => ({ version, statements: () => [] });
  const pending = pendingMigrations([m('0003_c'), m('0001_a'), m('0002_b')], new Set(['0002_b']));
  assert.deepEqual(pending.map((x) => x.version), ['0001_a', '0003_c']);
});

/** Every version of a list, in the order they are applied. */
const versions = (list: readonly Migration[]): string[] => list.map((m) => m.version).sort();

test('both backends list the same versions, unique and increasing', () => {
  assert.deepEqual(versions(SQLITE_MIGRATIONS), versions(POSTGRES_MIGRATIONS));
  const v = SQLITE_MIGRATIONS.map((m) => m.version);
  assert.deepEqual(v, [...new Set(v)].sort());
});

test('sqlite: migrate applies each version once and records it', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-migrate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'db', 'tollgate.db');
  assert.deepEqual(await migrateStorage(`sqlite://${path}`), { applied: versions(SQLITE_MIGRATIONS) });
  assert.deepEqual(await migrateStorage(`sqlite://${path}`), { applied: [] });
  const db = openSqliteDatabase(path);
  try {
    assert.deepEqual(migrateSqlite(db, [...SQLITE_MIGRATIONS, { version: '9999_extra', statements: () => ['CREATE TABLE extra_table (id INTEGER)'] }]),
      ['9999_extra']);
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as Array<{ version: string }>;
    assert.deepEqual(recorded.map((r) => r.version), [...versions(SQLITE_MIGRATIONS), '9999_extra']);
    const columns = db.prepare('SELECT name FROM pragma_table_info(?)').all('usage_events') as Array<{ name: string }>;
    assert.deepEqual(columns.map((c) => c.name).sort(), columnNames, 'the table has a column for every mapped field');
  } finally {
    db.close();
  }
});

test('postgres: migrate applies each version once, also when replicas race', async () => {
  const { url, schema } = schemas.nextUrl();
  assert.deepEqual(await migrateStorage(url), { applied: versions(SQLITE_MIGRATIONS) });
  assert.deepEqual(await migrateStorage(url), { applied: [] });
  const pool = createPostgresPool(testDatabaseUrl(), { schema, poolSize: 4 });
  try {
    const raced = await Promise.all([1, 2, 3].map(() => migratePostgres(pool, schema, [...POSTGRES_MIGRATIONS, extra])));
    assert.deepEqual(raced.flat(), ['9999_extra']);
  } finally {
    await pool.end();
  }
  await withClient(async (c) => {
    const recorded = await c.query<{ version: string }>(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    assert.deepEqual(recorded.rows.map((r) => r.version), [...versions(SQLITE_MIGRATIONS), '9999_extra']);
    const columns = await c.query<{ name: string }>(
      'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [schema, 'usage_events']);
    assert.deepEqual(columns.rows.map((r) => r.name).sort(), columnNames);
  });
});

test('postgres: a failing migration applies nothing of itself', async () => {
  const schema = schemas.next();
  const broken: Migration = { version: '9999_broken', statements: (s) => [`CREATE TABLE ${s}.half (id integer)`, 'SELECT no_such_fn()'] };
  const pool = createPostgresPool(testDatabaseUrl(), { schema });
  try {
    await assert.rejects(migratePostgres(pool, schema, [...POSTGRES_MIGRATIONS, broken]), /no_such_fn/);
    // The whole run was one transaction: not even 0001 or the schema survived.
    assert.deepEqual(await migratePostgres(pool, schema), versions(POSTGRES_MIGRATIONS));
    const half = await pool.query('SELECT to_regclass($1) AS t', [`${schema}.half`]);
    assert.equal(half.rows[0].t, null);
  } finally {
    await pool.end();
  }
});

test('0400: a log written before it keeps every row findable by tenant and operation; unlabelled rows leave those indexes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-migrate-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'tollgate.db');
  const db = openSqliteDatabase(path);
  migrateSqlite(db, SQLITE_MIGRATIONS.filter((m) => m.version < '0400'));
  const insert = db.prepare(`INSERT INTO usage_events (${EVENT_COLUMN_LIST}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')})`);
  insert.run(...toStoredValues(makeEvent({ requestId: 'labelled', tenant: 'acme', operation: 'triage' }), true));
  insert.run(...toStoredValues(makeEvent({ requestId: 'plain', tenant: null, operation: null }), true));
  db.close();
  const store = await openSqliteEventStore(path);
  try {
    assert.deepEqual((await store.query({ tenant: 'acme' }, 10)).rows.map((e) => e.requestId), ['labelled']);
    assert.deepEqual((await store.query({ operation: 'triage' }, 10)).rows.map((e) => e.requestId), ['labelled']);
    assert.equal((await store.query({}, 10)).rows.length, 2);
  } finally {
    await store.close();
  }
  const check = openSqliteDatabase(path);
  try {
    const count = (index: string): number => (check.prepare(`SELECT count(*) AS n FROM pragma_index_info(?)`).get(index) as { n: number }).n;
    assert.equal(count('usage_events_tenant'), 3);
    // A partial index holds only its rows: counting through it sees the labelled one.
    const through = (index: string, column: string): number =>
      (check.prepare(`SELECT count(*) AS n FROM usage_events INDEXED BY ${index} WHERE ${column} IS NOT NULL`).get() as { n: number }).n;
    assert.equal(through('usage_events_tenant', 'tenant'), 1);
    assert.equal(through('usage_events_operation', 'operation'), 1);
    const sql = check.prepare("SELECT sql FROM sqlite_master WHERE name IN ('usage_events_tenant', 'usage_events_operation') ORDER BY name").all() as Array<{ sql: string }>;
    assert.match(sql[0].sql, /WHERE operation IS NOT NULL$/);
    assert.match(sql[1].sql, /WHERE tenant IS NOT NULL$/);
  } finally {
    check.close();
  }
});
