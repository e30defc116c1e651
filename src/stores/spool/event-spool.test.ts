import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventStore } from '../events/event-store.js';
import { openSqliteEventStore } from '../events/sqlite-event-store.js';
import { makeEvent, makeEvents } from '../events/event-fixtures.js';
import { openEventSpool } from './event-spool.js';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-spool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A store that is down: every append fails, after letting `succeedFirst` batches through. */
function failingStore(real: EventStore, succeedFirst = 0): EventStore {
  let calls = 0;
  return {
    ...real,
    append: async (events) => {
      if (calls++ < succeedFirst) return real.append(events);
      throw new Error('store down');
    },
    query: (f, l, c) => real.query(f, l, c),
    scan: (f) => real.scan(f),
  };
}

async function storedIds(store: EventStore): Promise<string[]> {
  const ids: string[] = [];
  for await (const row of store.scan({})) ids.push(row.requestId);
  return ids.sort();
}

test('spooled events replay into the store once, and the spool empties', async (t) => {
  const dir = tempDir(t);
  const spool = await openEventSpool(dir);
  const store = await openSqliteEventStore(':memory:');
  assert.equal(await spool.write(makeEvents(3, 'a')), 3);
  assert.equal(await spool.write([]), 0);
  assert.equal(await spool.write(makeEvents(2, 'b')), 2);
  assert.ok(spool.stats().bytes > 0);
  assert.deepEqual(await spool.replay(store), { read: 5, inserted: 5, corrupt: 0 });
  assert.equal(spool.stats().bytes, 0);
  assert.deepEqual(await spool.replay(store), { read: 0, inserted: 0, corrupt: 0 });
  assert.equal((await storedIds(store)).length, 5);
  await spool.close();
  await assert.rejects(spool.write(makeEvents(1)), /closed/);
  await store.close();
});

test('a failed replay keeps everything; after recovery nothing is lost or duplicated', async (t) => {
  const dir = tempDir(t);
  const spool = await openEventSpool(dir, { replayBatchSize: 4 });
  const store = await openSqliteEventStore(':memory:');
  await spool.write(makeEvents(10, 'x'));
  // The store takes one batch of 4, then goes down mid-replay.
  await assert.rejects(spool.replay(failingStore(store, 1)), /store down/);
  assert.ok(existsSync(join(dir, 'events.replaying.jsonl')));
  await spool.write(makeEvents(3, 'during'));
  const bytes = spool.stats().bytes;
  assert.ok(bytes > 0);
  const result = await spool.replay(store);
  assert.deepEqual(result, { read: 13, inserted: 9, corrupt: 0 });
  assert.equal(spool.stats().bytes, 0);
  const ids = await storedIds(store);
  assert.equal(ids.length, 13);
  assert.equal(new Set(ids).size, 13);
  await store.close();
});

test('a restarted process finds and replays what an earlier one spooled', async (t) => {
  const dir = tempDir(t);
  const first = await openEventSpool(dir);
  const store = await openSqliteEventStore(':memory:');
  await first.write(makeEvents(4, 'old'));
  await assert.rejects(first.replay(failingStore(store)), /store down/);
  await first.write(makeEvents(2, 'new'));
  // No close: the process "died".
  const second = await openEventSpool(dir);
  assert.equal(second.stats().bytes, first.stats().bytes);
  assert.deepEqual(await second.replay(store), { read: 6, inserted: 6, corrupt: 0 });
  assert.ok(!existsSync(join(dir, 'events.replaying.jsonl')));
  await store.close();
});

test('a line torn by a crash is skipped and counted, and does not swallow the next write', async (t) => {
  const dir = tempDir(t);
  const first = await openEventSpool(dir);
  await first.write(makeEvents(3, 'before'));
  appendFileSync(join(dir, 'events.jsonl'), JSON.stringify(makeEvent({ requestId: 'torn' })).slice(0, 40));
  const second = await openEventSpool(dir);
  await second.write(makeEvents(2, 'after'));
  const store = await openSqliteEventStore(':memory:');
  assert.deepEqual(await second.replay(store), { read: 5, inserted: 5, corrupt: 1 });
  assert.equal(second.stats().corrupt, 1);
  assert.deepEqual((await storedIds(store)).filter((id) => id.startsWith('after')), ['after-00000', 'after-00001']);
  await store.close();
});

test('the spool is bounded: events beyond maxBytes are dropped and counted', async (t) => {
  const dir = tempDir(t);
  const lineBytes = Buffer.byteLength(`${JSON.stringify(makeEvents(1, 'f')[0])}\n`);
  const spool = await openEventSpool(dir, { maxBytes: lineBytes * 3 + 10 });
  assert.equal(await spool.write(makeEvents(2, 'f')), 2);
  assert.equal(await spool.write(makeEvents(3, 'g')), 1);
  assert.deepEqual(spool.stats(), { bytes: lineBytes * 3, dropped: 2, corrupt: 0 });
  const store = await openSqliteEventStore(':memory:');
  await spool.replay(store);
  // Replay frees the space again.
  assert.equal(await spool.write(makeEvents(3, 'h')), 3);
  await store.close();
});

test('replays exactly what was written (NUL, lone surrogates) and never spools opted-out events', async (t) => {
  const dir = tempDir(t);
  const spool = await openEventSpool(dir);
  const odd = makeEvent({ requestId: 'odd', user: 'u\u0000\uD800', payload: { request: '\uDFFF', response: '\u0000' } });
  assert.equal(await spool.write([odd, makeEvent({ requestId: 'private', collect: false })]), 1);
  assert.doesNotMatch(readFileSync(join(dir, 'events.jsonl'), 'utf8'), /private/);
  const received: UsageEvent[] = [];
  const recorder = { append: async (events: readonly UsageEvent[]) => { received.push(...events); return events.length; } };
  const [a, b] = await Promise.all([spool.replay(recorder as EventStore), spool.replay(recorder as EventStore)]);
  assert.equal(a, b, 'concurrent replays share one run');
  assert.deepEqual(received, [odd]);
});
