import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCacheStoreContract } from './cache-store.contract.js';
import { MemoryCacheStore } from './memory-cache-store.js';

describe('MemoryCacheStore (contract)', () => {
  runCacheStoreContract(async () => {
    let now = 1_000_000;
    const store = new MemoryCacheStore<string>({ maxBytes: 64 * 1024 * 1024, sizeOf: (v) => v.length * 2, now: () => now });
    return { store, advance: async (ms) => { now += ms; } };
  });
});

describe('MemoryCacheStore bound', () => {
  test('stays within its byte bound, evicting the least recently used', () => {
    const store = new MemoryCacheStore<string>({ maxBytes: 1000, sizeOf: (v) => v.length });
    for (let i = 0; i < 50; i++) store.put(`k${i}`, 'x'.repeat(100), 60_000);
    assert.ok(store.bytes <= 1000);
    assert.equal(store.entries, 10);
    assert.equal(store.peek('k0'), undefined);
    assert.equal(store.peek('k49'), 'x'.repeat(100));
    store.put('huge', 'y'.repeat(5000), 60_000);
    assert.equal(store.peek('huge'), undefined, 'a value larger than the bound is not kept');
  });
});
