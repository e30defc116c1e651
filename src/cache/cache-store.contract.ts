/**
 * The one contract every CacheStore backend passes (memory, SQLite, real Redis): round trips,
 * overwrite, expiry, prefix flushes that match literally (glob and LIKE characters included),
 * a full flush, large and non-ASCII values, and a `mightHave` probe (where a backend has one)
 * that never denies a key it holds. Backend test files call runCacheStoreContract with
 * a factory that opens a fresh, empty store and a way to let time pass (an injected clock, or
 * a real wait for Redis's own expiry).
 */
import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CacheStore } from './cache-store.js';

export interface ContractStore {
  store: CacheStore<string>;
  /** Lets at least `ms` pass for the store. */
  advance(ms: number): Promise<void>;
  /** Settles queued writes when a backend batches them (default: nothing to do). */
  settle?(): Promise<void>;
}

export function runCacheStoreContract(open: () => Promise<ContractStore>): void {
  let s: ContractStore;
  beforeEach(async () => { s = await open(); });
  afterEach(async () => { await s.store.close(); });

  test('a missing key is undefined; a stored value round-trips and can be overwritten', async () => {
    assert.equal(await s.store.get('t1:nothing'), undefined);
    await s.store.set('t1:a', 'first', 60_000);
    assert.equal(await s.store.get('t1:a'), 'first');
    await s.store.set('t1:a', 'second', 60_000);
    assert.equal(await s.store.get('t1:a'), 'second');
  });

  test('a value is not returned after its TTL', async () => {
    await s.store.set('t1:short', 'x', 100);
    await s.store.set('t1:long', 'y', 60_000);
    assert.equal(await s.store.get('t1:short'), 'x');
    await s.advance(250);
    assert.equal(await s.store.get('t1:short'), undefined);
    assert.equal(await s.store.get('t1:long'), 'y');
  });

  test('flush(prefix) removes exactly the keys with that prefix, matched literally', async () => {
    const keys = ['tA:1', 'tA:2', 'tB:1', 't*:1', 't%_:1', 'tA\\:1', 'g:1'];
    for (const k of keys) await s.store.set(k, `v ${k}`, 60_000);
    await s.store.flush('tA:');
    await s.store.flush('t*:');
    await s.store.flush('t%');
    for (const k of keys) {
      const gone = k.startsWith('tA:') || k.startsWith('t*:') || k.startsWith('t%');
      assert.equal(await s.store.get(k), gone ? undefined : `v ${k}`, k);
    }
  });

  test('flush() removes everything', async () => {
    await s.store.set('tA:1', 'a', 60_000);
    await s.store.set('g:1', 'b', 60_000);
    await s.store.flush();
    assert.equal(await s.store.get('tA:1'), undefined);
    assert.equal(await s.store.get('g:1'), undefined);
  });

  test('large and non-ASCII values survive byte for byte', async () => {
    const big = 'data: {"x":"é漢字🙂\\n"}\n\n'.repeat(40_000);
    await s.store.set('tA:big', big, 60_000);
    await s.store.set('tA:odd', '\u0000\u2028"\'', 60_000);
    assert.equal(await s.store.get('tA:big'), big);
    assert.equal(await s.store.get('tA:odd'), '\u0000\u2028"\'');
  });

  test('many concurrent writes all land', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => s.store.set(`tC:${i}`, String(i), 60_000)));
    await s.settle?.();
    for (let i = 0; i < 200; i += 37) assert.equal(await s.store.get(`tC:${i}`), String(i));
  });

  test('a store that answers mightHave never says no to a key it holds, queued or written', async () => {
    const written = s.store.set('tD:queued', 'q', 60_000);
    assert.notEqual(s.store.mightHave?.('tD:queued'), false);
    await written;
    await s.settle?.();
    await s.store.get('tD:queued');
    assert.notEqual(s.store.mightHave?.('tD:queued'), false);
    await Promise.all(Array.from({ length: 50 }, (_, i) => s.store.set(`tD:${i}`, String(i), 60_000)));
    await s.settle?.();
    for (let i = 0; i < 50; i++) assert.notEqual(s.store.mightHave?.(`tD:${i}`), false, `tD:${i}`);
  });
}
