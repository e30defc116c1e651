import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CachedAnswer } from './cache-entry.js';
import type { CacheStore } from './cache-store.js';
import { LayeredCache } from './layered-cache.js';
import { MemoryCacheStore } from './memory-cache-store.js';

const NOW = 1_000_000;

function answer(body: string): CachedAnswer {
  return { v: 1, kind: 'json', body, usage: null, provider: 'p', model: 'm', costMicros: 5, createdAt: NOW, expiresAt: NOW + 60_000 };
}

/** A shared layer that remembers text, or fails every write when `failing` is set. */
function sharedLayer(failing = false): CacheStore<string> & { reads: number } {
  const inner = new MemoryCacheStore<string>({ maxBytes: 1 << 20, sizeOf: (v) => v.length, now: () => NOW });
  return {
    reads: 0,
    async get(key) { this.reads++; return inner.get(key); },
    async set(key, value, ttl) { if (failing) throw new Error('store down'); return inner.set(key, value, ttl); },
    flush: (prefix) => inner.flush(prefix),
    close: () => inner.close(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('LayeredCache admission', () => {
  test('without a shared layer, a stored answer is held in memory at once', () => {
    const cache = new LayeredCache(1 << 20, undefined, 'none', () => NOW);
    cache.store('k', answer('{"a":1}'));
    assert.equal(cache.peek('k')?.entry.body, '{"a":1}');
  });

  test('with a shared layer, memory takes an answer on its first re-use, then serves it without a shared read', async () => {
    const shared = sharedLayer();
    const cache = new LayeredCache(1 << 20, shared, 'test', () => NOW);
    cache.store('k', answer('{"a":2}'));
    await settle();
    assert.equal(cache.peek('k'), undefined, 'not held in process when stored');
    assert.equal(cache.memory.entries, 0);
    assert.equal((await cache.lookup('k'))?.entry.body, '{"a":2}');
    assert.equal(shared.reads, 1);
    assert.equal(cache.peek('k')?.entry.body, '{"a":2}', 'the re-used answer is now in memory');
    assert.equal((await cache.lookup('k'))?.entry.body, '{"a":2}');
    assert.equal(shared.reads, 1, 'the second re-use did not read the shared layer');
    assert.equal(cache.counters.sharedHits, 1);
  });

  test('a shared write that fails keeps the answer in memory and is counted', async () => {
    const cache = new LayeredCache(1 << 20, sharedLayer(true), 'test', () => NOW);
    cache.store('k', answer('{"a":3}'));
    await settle();
    assert.equal(cache.counters.writeErrors, 1);
    assert.equal(cache.peek('k')?.entry.body, '{"a":3}');
  });
});

describe('LayeredCache.sharedLacks', () => {
  test('certain only without a shared layer, or when the layer\'s own probe says no', () => {
    assert.equal(new LayeredCache(1 << 20, undefined, 'none', () => NOW).sharedLacks('k'), true);
    const noProbe = sharedLayer();
    assert.equal(new LayeredCache(1 << 20, noProbe, 'test', () => NOW).sharedLacks('k'), false, 'a store without a probe is always asked');
    const probed = Object.assign(sharedLayer(), { mightHave: (key: string) => key === 'present' });
    const cache = new LayeredCache(1 << 20, probed, 'test', () => NOW);
    assert.equal(cache.sharedLacks('absent'), true);
    assert.equal(cache.sharedLacks('present'), false);
  });
});
