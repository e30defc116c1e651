/**
 * F15, disk full, at the store sink with real parts: a real SQLite log store made full with
 * SQLite's own `max_page_count` (writes fail with SQLITE_FULL, exactly as on a full disk), a real
 * spool, and for the spool's disk a spool whose writes fail with ENOSPC while "full". Nothing
 * crashes, the health says degraded, the write-error counts rise, and once space returns the
 * replay stores every request id exactly once.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { logStoreHealth } from '../http/health-report.js';
import { makeEvents } from '../stores/events/event-fixtures.js';
import type { EventStore } from '../stores/events/event-store.js';
import { openSqliteEventStore } from '../stores/events/sqlite-event-store.js';
import { openEventSpool, type EventSpool } from '../stores/spool/event-spool.js';
import { MAX_HELD, StoreSink } from './store-sink.js';
import type { UsageEvent } from './usage-event.js';

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-f15-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The store's own connection (the page cap is per connection). */
function connectionOf(store: EventStore): Database.Database {
  return (store as unknown as { db: Database.Database }).db;
}

/** Caps the database at its current size: the next growing write fails with SQLITE_FULL. */
function fillDisk(db: Database.Database): void {
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
}

function freeDisk(db: Database.Database): void {
  db.pragma('max_page_count = 1073741823');
}

/** A spool whose disk can be made full: writes then fail with ENOSPC, as appendFile would. */
function fullableSpool(inner: EventSpool): EventSpool & { full: boolean } {
  const spool = {
    full: false,
    write: (events: readonly UsageEvent[]) => {
      if (spool.full) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return inner.write(events);
    },
    replay: (store: EventStore) => inner.replay(store),
    stats: () => inner.stats(),
    close: () => inner.close(),
  };
  return spool;
}

async function storedIds(store: EventStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of store.scan({})) ids.push(e.requestId);
  return ids.sort();
}

interface Rig {
  sink: StoreSink;
  store: EventStore;
  db: Database.Database;
  spool: EventSpool & { full: boolean };
  errors: string[];
}

async function rig(t: TestContext): Promise<Rig> {
  const dir = tempDir(t);
  const store = await openSqliteEventStore(join(dir, 'log.db'));
  const spool = fullableSpool(await openEventSpool(join(dir, 'spool')));
  const errors: string[] = [];
  const sink = new StoreSink(store, spool, {
    appendTimeoutMs: 2_000, replayEveryMs: 3_600_000, retentionDays: 3650,
    onError: (what, err) => errors.push(`${what}: ${err instanceof Error ? err.message : String(err)}`),
  });
  t.after(() => sink.close());
  return { sink, store, db: connectionOf(store), spool, errors };
}

test('F15: SQLite full: writes spool, health degraded, errors counted; rows land once when space returns', async (t) => {
  const r = await rig(t);
  const before = makeEvents(20, 'f15-before');
  await r.sink.write(before);
  fillDisk(r.db);
  const during = makeEvents(300, 'f15-full');
  for (let i = 0; i < during.length; i += 100) await r.sink.write(during.slice(i, i + 100));
  assert.ok(r.errors.some((e) => /append: .*database or disk is full/.test(e)), r.errors.join('\n'));
  const h = r.sink.health();
  assert.equal(h.storeUp, false);
  assert.ok(h.spooledBytes > 0, 'the rows wait in the spool');
  assert.equal(h.writeErrors.store, 1, 'only the first batch tried the store; the rest went behind the spool');
  assert.equal(logStoreHealth(h).status, 'degraded');

  await r.sink.replay(); // still full: the replay fails and counts
  assert.equal(r.sink.health().writeErrors.store, 2);
  assert.equal(r.sink.health().storeUp, false);

  freeDisk(r.db);
  await r.sink.replay();
  assert.deepEqual(await storedIds(r.store), [...before, ...during].map((e) => e.requestId).sort());
  const after = r.sink.health();
  assert.equal(after.storeUp, true);
  assert.equal(after.spooledBytes, 0);
  assert.equal(after.spoolDropped, 0);
  assert.equal(logStoreHealth(after).status, 'healthy');
});

test('F15: store and spool disk both full: events wait in memory, then spool, then store, each once', async (t) => {
  const r = await rig(t);
  fillDisk(r.db);
  r.spool.full = true;
  const a = makeEvents(50, 'f15-a');
  const b = makeEvents(50, 'f15-b');
  await r.sink.write(a);
  await r.sink.write(b);
  let h = r.sink.health();
  assert.equal(h.spoolUp, false);
  assert.equal(h.heldEvents, 100);
  assert.equal(h.writeErrors.spool, 1, 'once events are held, later batches queue behind them');
  assert.equal(logStoreHealth(h).status, 'degraded');

  await r.sink.replay(); // spool still full
  assert.equal(r.sink.health().writeErrors.spool, 2);
  assert.equal(r.sink.health().heldEvents, 100);

  r.spool.full = false; // the spool's disk has room again, the database not yet
  await r.sink.replay();
  h = r.sink.health();
  assert.equal(h.heldEvents, 0);
  assert.equal(h.spoolUp, true);
  assert.ok(h.spooledBytes > 0);
  assert.equal(h.storeUp, false);
  const c = makeEvents(10, 'f15-c');
  await r.sink.write(c); // behind the spool, in order

  freeDisk(r.db);
  await r.sink.replay();
  assert.deepEqual(await storedIds(r.store), [...a, ...b, ...c].map((e) => e.requestId).sort());
  h = r.sink.health();
  assert.deepEqual({ ...h, writeErrors: undefined }, { storeUp: true, spooledBytes: 0, spoolDropped: 0, spoolUp: true, heldEvents: 0, writeErrors: undefined });
});

test('F15: the memory hold is bounded: events beyond MAX_HELD are dropped and counted, never a crash', async (t) => {
  const r = await rig(t);
  fillDisk(r.db);
  r.spool.full = true;
  await r.sink.write(makeEvents(MAX_HELD - 5, 'f15-many'));
  await r.sink.write(makeEvents(20, 'f15-over'));
  const h = r.sink.health();
  assert.equal(h.heldEvents, MAX_HELD);
  assert.equal(h.spoolDropped, 15);
  r.spool.full = false;
  freeDisk(r.db);
  await r.sink.replay();
  assert.equal((await storedIds(r.store)).length, MAX_HELD);
});
