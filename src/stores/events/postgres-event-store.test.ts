import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { runEventStoreContract } from './event-store.contract.js';
import { openPostgresEventStore } from './postgres-event-store.js';
import { openEventStore } from './open-event-store.js';
import { buildPageQuery } from './event-query.js';
import { makeEvents } from './event-fixtures.js';
import type { EventFilter } from './event-store.js';
import { TestSchemas, testDatabaseUrl, withClient } from './postgres-test-database.js';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

test('DATABASE_URL is set and PostgreSQL answers', async () => {
  const version = await withClient(async (c) => (await c.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v);
  assert.match(version, /^\d+/);
});

runEventStoreContract('postgres', () =>
  openPostgresEventStore(testDatabaseUrl(), { schema: schemas.next(), connectTimeoutMs: 1000 }));

test('openEventStore takes the schema from the URL and the table lives there', async () => {
  const { url, schema } = schemas.nextUrl();
  const store = await openEventStore(url);
  assert.equal(await store.append(makeEvents(2)), 2);
  await store.close();
  const count = await withClient(async (c) => (await c.query(`SELECT count(*)::int AS n FROM ${schema}.usage_events`)).rows[0].n);
  assert.equal(count, 2);
});

test('a server that answers with a configuration error fails the open', async () => {
  const url = new URL(testDatabaseUrl());
  url.pathname = '/tollgate_no_such_database';
  await assert.rejects(openPostgresEventStore(url.toString(), { schema: schemas.next() }), /does not exist/);
});

test('every filter can be served by an index in keyset order', async () => {
  const schema = schemas.next();
  const store = await openPostgresEventStore(testDatabaseUrl(), { schema });
  await store.close();
  const filters: EventFilter[] = [{}, { from: 1, to: 2 }, { tenant: 't' }, { provider: 'p', model: 'm' }, { model: 'm' },
    { status: 200 }, { cacheStatus: 'HIT' }, { operation: 'o' }, { errorCode: 'e' }, { requestId: 'r' }];
  await withClient(async (c) => {
    // An empty table is cheapest to scan; forbidding that shows whether an index fits at all.
    await c.query('SET enable_seqscan = off');
    await c.query('SET enable_sort = off');
    for (const filter of filters) {
      const sql = buildPageQuery(`${schema}.usage_events`, filter, { time: 5, requestId: 'r' }, 50, (n) => `$${n}`);
      const plan = (await c.query(`EXPLAIN ${sql.text}`, sql.params)).rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
      assert.match(plan, /Index (Only )?Scan/, `${JSON.stringify(filter)}:\n${plan}`);
      if (filter.requestId === undefined) assert.doesNotMatch(plan, /\bSort\b/, `${JSON.stringify(filter)}:\n${plan}`);
      // The partial label indexes serve their equality filters.
      if (filter.tenant !== undefined) assert.match(plan, /usage_events_tenant/, plan);
      if (filter.operation !== undefined) assert.match(plan, /usage_events_operation/, plan);
    }
  });
});
