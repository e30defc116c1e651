// Tests for memory-breaker-store.ts: the shared BreakerStore contract, plus the memory-only
// bounds: pristine closed breakers are not stored at all, and beyond maxKeys the least recently
// touched record is evicted while recently touched ones survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { breakerStoreContract } from './breaker-store-contract.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';

breakerStoreContract('memory', () => new MemoryBreakerStore());

const cfg = { failureThreshold: 5, cooldownMs: 1_000 };

test('healthy breakers take no memory', async () => {
  const store = new MemoryBreakerStore();
  await store.admit('a', 0, cfg);
  await store.recordSuccess('a');
  assert.equal(store.size, 0);
  await store.recordFailure('a', 0, cfg);
  assert.equal(store.size, 1);
  await store.recordSuccess('a');
  assert.equal(store.size, 0, 'back to pristine, forgotten');
});

test('at most maxKeys records, least recently touched evicted first', async () => {
  const store = new MemoryBreakerStore(3);
  for (const k of ['a', 'b', 'c']) await store.recordFailure(k, 0, cfg);
  await store.recordFailure('a', 1, cfg); // touch a: b is now the oldest
  await store.recordFailure('d', 2, cfg);
  assert.equal(store.size, 3);
  assert.equal((await store.read('b')).failures, 0, 'b evicted');
  assert.equal((await store.read('a')).failures, 2);
  assert.equal((await store.read('d')).failures, 1);
});
