import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CAPACITY, KeyFilter } from './key-filter.js';
import { SqliteCacheStore } from './sqlite-cache-store.js';

const keyOf = (i: number, ns = 'a') => `t0123456789abcdef:${createHash('sha256').update(`${ns}${i}`).digest('hex')}`;
const filePath = () => join(mkdtempSync(join(tmpdir(), 'tollgate-keyindex-')), 'cache.db');
/** Lets the chunked filter load (setImmediate steps) run. */
const turns = async (n = 20) => { for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve)); };

/** Counts the file reads a store makes for lookups. */
function countReads(store: SqliteCacheStore): { reads: number } {
  const counter = { reads: 0 };
  const inner = store as unknown as { lookupSql: { get: (...a: unknown[]) => unknown } };
  const real = inner.lookupSql;
  inner.lookupSql = { get: (...args: unknown[]) => { counter.reads++; return real.get.apply(real, args); } };
  return counter;
}

/** A fresh file, a clock the test moves, and this process's store on it holding one key. */
async function sharedFile(): Promise<{ path: string; clock: () => number; tick(ms: number): void; mine: SqliteCacheStore }> {
  const path = filePath();
  let now = 1_000_000;
  const clock = () => now;
  const mine = new SqliteCacheStore(path, clock);
  await mine.set(keyOf(1), 'mine', 600_000);
  return { path, clock, tick: (ms) => { now += ms; }, mine };
}

describe('KeyFilter', () => {
  it('never forgets a key it was given, and rarely claims one it was not (at capacity)', () => {
    const f = new KeyFilter();
    for (let i = 0; i < CAPACITY; i++) f.add(keyOf(i));
    for (let i = 0; i < CAPACITY; i += 7) assert.ok(f.mightHave(keyOf(i)), `forgot ${i}`);
    let claimed = 0;
    const probes = 20_000;
    for (let i = 0; i < probes; i++) if (f.mightHave(keyOf(i, 'other'))) claimed++;
    assert.ok(claimed / probes < 0.02, `false positives ${claimed}/${probes}`);
    assert.equal(f.saturated, false);
    f.add('one more');
    assert.equal(f.saturated, true);
  });
});

describe('SqliteCacheStore key filter', () => {
  it('after the filter loads, misses do not read the file; stored keys still hit', async () => {
    const path = filePath();
    const writer = new SqliteCacheStore(path);
    await Promise.all(Array.from({ length: 5_000 }, (_, i) => writer.set(keyOf(i), `v${i}`, 60_000)));
    await writer.close();

    const store = new SqliteCacheStore(path);
    assert.equal(await store.get(keyOf(1)), 'v1', 'a stored key hits before the filter has loaded');
    const counter = countReads(store);
    await turns();
    for (let i = 0; i < 200; i++) assert.equal(await store.get(keyOf(i, 'miss')), undefined);
    assert.ok(counter.reads <= 10, `misses read the file ${counter.reads} times`);
    for (let i = 0; i < 5_000; i += 250) assert.equal(await store.get(keyOf(i)), `v${i}`);
    await store.set(keyOf(9, 'new'), 'fresh', 60_000);
    assert.equal(await store.get(keyOf(9, 'new')), 'fresh');
    await store.close();
  });

  it('mightHave answers a miss without I/O, and never says no to a stored or queued key', async () => {
    const path = filePath();
    const writer = new SqliteCacheStore(path);
    await Promise.all(Array.from({ length: 2_000 }, (_, i) => writer.set(keyOf(i), `v${i}`, 60_000)));
    await writer.close();
    const store = new SqliteCacheStore(path);
    assert.equal(store.mightHave(keyOf(1, 'miss')), true, 'before the file is open nothing is certain');
    await store.get(keyOf(1));
    await turns();
    const counter = countReads(store);
    let said = 0;
    for (let i = 0; i < 200; i++) if (!store.mightHave(keyOf(i, 'miss'))) said++;
    assert.ok(said >= 190, `only ${said} of 200 misses were certain`);
    for (let i = 0; i < 2_000; i += 100) assert.equal(store.mightHave(keyOf(i)), true);
    const queued = store.set(keyOf(5, 'queued'), 'q', 60_000);
    assert.equal(store.mightHave(keyOf(5, 'queued')), true, 'a write waiting for its batch');
    await queued;
    assert.equal(store.mightHave(keyOf(5, 'queued')), true, 'and once committed');
    assert.equal(counter.reads, 0);
    await store.close();
  });

  it('keys another process writes to the shared file are found once a second has passed', async () => {
    const { path, clock, mine, tick } = await sharedFile();
    await turns();
    const theirs = new SqliteCacheStore(path, clock);
    await theirs.set(keyOf(2), 'theirs', 600_000);
    await theirs.close();
    tick(1_000);
    assert.equal(await mine.get(keyOf(2)), 'theirs');
    assert.equal(await mine.get(keyOf(1)), 'mine');
    await mine.close();
  });

  it('rows this process wrote are not read back; rows another process wrote still are', async () => {
    const { path, clock, mine, tick } = await sharedFile();
    await mine.get(keyOf(1));
    await turns();
    const index = (mine as unknown as { index: { page: { all: (...a: unknown[]) => unknown[] } } }).index;
    const real = index.page;
    let pageReads = 0;
    index.page = { all: (...a: unknown[]) => { pageReads++; return real.all(...a); } };
    const look = () => { tick(1_000); mine.mightHave(keyOf(0, 'probe')); };
    look();
    assert.equal(pageReads, 1, 'the first look after the load reads what is new');
    await Promise.all(Array.from({ length: 50 }, (_, i) => mine.set(keyOf(i, 'own'), 'v', 600_000)));
    look();
    assert.equal(pageReads, 1, 'only own rows were added: nothing to read');
    const theirs = new SqliteCacheStore(path, clock);
    await theirs.set(keyOf(2), 'theirs', 600_000);
    await theirs.close();
    await Promise.all(Array.from({ length: 3 }, (_, i) => mine.set(keyOf(i, 'more'), 'v', 600_000)));
    look();
    assert.equal(pageReads, 2, 'another writer\'s row is read');
    assert.equal(await mine.get(keyOf(2)), 'theirs');
    look();
    assert.equal(pageReads, 2, 'and nothing new since');
    for (let i = 0; i < 50; i += 7) assert.equal(await mine.get(keyOf(i, 'own')), 'v');
    await mine.close();
  });

  it('a full flush empties the filter too, and new writes are found again', async () => {
    const store = new SqliteCacheStore(filePath());
    await store.set(keyOf(1), 'a', 60_000);
    await turns();
    assert.equal(await store.flush(), 1);
    assert.equal(await store.get(keyOf(1)), undefined);
    await store.set(keyOf(1), 'b', 60_000);
    assert.equal(await store.get(keyOf(1)), 'b');
    await store.close();
  });
});
