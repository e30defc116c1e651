/**
 * F13/F14 at the store and spool level: while PostgreSQL is down, hanging or slow, append fails
 * within its configured limits (so the event queue can spool instead of waiting), and once the
 * server is back the same store object reconnects and a spool replay leaves every event stored
 * exactly once.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventStore } from './event-store.js';
import { openPostgresEventStore } from './postgres-event-store.js';
import { makeEvents } from './event-fixtures.js';
import { TestSchemas, testDatabaseUrl, withClient } from './postgres-test-database.js';
import { TcpFaultProxy } from '../testing/tcp-fault-proxy.js';
import { openEventSpool, type EventSpool } from '../spool/event-spool.js';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

function viaPort(port: number): string {
  const url = new URL(testDatabaseUrl());
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return url.toString();
}

async function startProxy(): Promise<TcpFaultProxy> {
  const target = new URL(testDatabaseUrl());
  return TcpFaultProxy.start(target.hostname, Number(target.port || 5432));
}

async function tempSpool(t: { after: (fn: () => void) => void }): Promise<EventSpool> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-outage-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return openEventSpool(dir);
}

/** Appends, or spools when the store fails; returns how long the store took to answer. */
async function appendOrSpool(store: EventStore, spool: EventSpool, batch: ReturnType<typeof makeEvents>): Promise<number> {
  const started = Date.now();
  try {
    await store.append(batch);
    assert.fail('the store was expected to be unavailable');
  } catch (err) {
    if (err instanceof assert.AssertionError) throw err;
    await spool.write(batch);
  }
  return Date.now() - started;
}

async function countRows(schema: string): Promise<{ rows: number; distinct: number }> {
  return withClient(async (c) => {
    const r = await c.query(`SELECT count(*)::int AS rows, count(DISTINCT request_id)::int AS distinct FROM ${schema}.usage_events`);
    return r.rows[0] as { rows: number; distinct: number };
  });
}

test('F13: server down or hanging: append fails fast, same store recovers, replay loses and duplicates nothing', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.close());
  const spool = await tempSpool(t);
  const schema = schemas.next();
  const store = await openPostgresEventStore(viaPort(proxy.port), { schema, connectTimeoutMs: 400, statementTimeoutMs: 400 });
  t.after(() => store.close());
  const before = makeEvents(5, 'before');
  assert.equal(await store.append(before), 5);

  // The pooled connection stops answering mid-session: the client-side read timeout
  // (statement timeout + 1 s) ends the wait and the connection is discarded.
  proxy.setMode('blackhole');
  const stalled = await appendOrSpool(store, spool, makeEvents(4, 'stalled'));
  assert.ok(stalled >= 1300 && stalled < 3500, `stalled ${stalled} ms`);
  proxy.setMode('refuse');
  const refused = await appendOrSpool(store, spool, makeEvents(7, 'refused'));
  assert.ok(refused < 1000, `refused ${refused} ms`);
  // New connections hang before the handshake: the connect timeout ends the wait.
  proxy.setMode('blackhole');
  const hung = await appendOrSpool(store, spool, makeEvents(6, 'hung'));
  assert.ok(hung >= 350 && hung < 2000, `hung ${hung} ms`);

  proxy.setMode('forward');
  assert.deepEqual(await spool.replay(store), { read: 17, inserted: 17, corrupt: 0 });
  assert.equal(await store.append(before), 0, 'a replay of already stored events adds nothing');
  assert.deepEqual(await countRows(schema), { rows: 22, distinct: 22 });
});

test('F13: opening while the server is down succeeds; the store migrates once it is back', async (t) => {
  const proxy = await startProxy();
  t.after(() => proxy.close());
  proxy.setMode('refuse');
  const schema = schemas.next();
  const store = await openPostgresEventStore(viaPort(proxy.port), { schema, connectTimeoutMs: 400 });
  t.after(() => store.close());
  await assert.rejects(store.append(makeEvents(2)));
  proxy.setMode('forward');
  assert.equal(await store.append(makeEvents(2)), 2);
  assert.equal((await store.query({}, 10)).rows.length, 2);
});

test('F13: a closed port is refused quickly', async (t) => {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  const store = await openPostgresEventStore(viaPort(port), { schema: schemas.next(), connectTimeoutMs: 2000 });
  t.after(() => store.close());
  const started = Date.now();
  await assert.rejects(store.append(makeEvents(1)), /ECONNREFUSED/);
  assert.ok(Date.now() - started < 1000);
});

test('F14: slow server (table locked) or saturated pool: append fails within its limits, nothing lost', async (t) => {
  const spool = await tempSpool(t);
  const schema = schemas.next();
  const store = await openPostgresEventStore(testDatabaseUrl(), { schema, poolSize: 1, statementTimeoutMs: 600, connectTimeoutMs: 200 });
  t.after(() => store.close());
  await withClient(async (locker) => {
    await locker.query('BEGIN');
    await locker.query(`LOCK TABLE ${schema}.usage_events IN ACCESS EXCLUSIVE MODE`);
    // The first append holds the only connection until its statement times out; the second
    // cannot get a connection and gives up after the connect timeout.
    const slow = appendOrSpool(store, spool, makeEvents(4, 'slow'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const queuedStart = Date.now();
    const queued = await appendOrSpool(store, spool, makeEvents(3, 'queued'));
    const slowMs = await slow;
    assert.ok(queued >= 150 && Date.now() - queuedStart < 1500, `pool wait ${queued} ms`);
    assert.ok(slowMs >= 500 && slowMs < 3000, `statement wait ${slowMs} ms`);
    assert.ok(queued < slowMs, 'the queued append gave up before the connection holder finished');
    await locker.query('ROLLBACK');
  });
  assert.deepEqual(await spool.replay(store), { read: 7, inserted: 7, corrupt: 0 });
  assert.deepEqual(await countRows(schema), { rows: 7, distinct: 7 });
});
