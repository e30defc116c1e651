import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runEventStoreContract } from './event-store.contract.js';
import { openSqliteEventStore } from './sqlite-event-store.js';
import { openEventStore } from './open-event-store.js';
import { buildPageQuery } from './event-query.js';
import { migrateSqlite } from './sqlite-migrations.js';
import { makeEvents } from './event-fixtures.js';
import type { EventFilter } from './event-store.js';

runEventStoreContract('sqlite :memory:', () => openSqliteEventStore(':memory:'));

test('a file store creates its directory, uses WAL and keeps rows across reopen', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-sqlite-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'nested', 'deeper', 'events.db');
  const store = await openEventStore(`sqlite://${path}`);
  assert.equal(await store.append(makeEvents(3)), 3);
  await store.close();
  await store.close();
  assert.ok(existsSync(path));
  const db = new Database(path, { readonly: true });
  assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
  db.close();
  const reopened = await openSqliteEventStore(path);
  assert.equal((await reopened.query({}, 10)).rows.length, 3);
  assert.equal(await reopened.append(makeEvents(3)), 0);
  await reopened.close();
});

test('every filter is served by an index, in keyset order without a sort', () => {
  const db = new Database(':memory:');
  migrateSqlite(db);
  const filters: EventFilter[] = [{}, { from: 1, to: 2 }, { tenant: 't' }, { provider: 'p', model: 'm' }, { model: 'm' },
    { status: 200 }, { cacheStatus: 'HIT' }, { operation: 'o' }, { errorCode: 'e' }, { requestId: 'r' }];
  for (const filter of filters) {
    const sql = buildPageQuery('usage_events', filter, { time: 5, requestId: 'r' }, 50, () => '?');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql.text}`).all(...sql.params) as Array<{ detail: string }>)
      .map((r) => r.detail).join(' | ');
    assert.match(plan, /USING (COVERING )?INDEX|PRIMARY KEY|USING INDEX sqlite_autoindex/, `${JSON.stringify(filter)}: ${plan}`);
    if (filter.requestId === undefined) assert.doesNotMatch(plan, /TEMP B-TREE/, `${JSON.stringify(filter)}: ${plan}`);
    // The partial label indexes serve their equality filters.
    if (filter.tenant !== undefined) assert.match(plan, /INDEX usage_events_tenant/, plan);
    if (filter.operation !== undefined) assert.match(plan, /INDEX usage_events_operation/, plan);
  }
  db.close();
});
