/**
 * The behaviour every BreakerStore must show, written once as a node:test suite that each
 * backend's test file runs against its own store (memory, Redis, and Redis behind the shared store's mirror). Keeping
 * one suite is what lets a shared backend be trusted to behave exactly like the local one.
 *
 * It exercises the store through its interface only, with explicit timestamps (no sleeping),
 * and asks for a fresh store per test so suites never leak state into each other.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BreakerStore } from './breaker-store.js';

const cfg = { failureThreshold: 2, cooldownMs: 1_000 };

async function tripped(store: BreakerStore, key: string, at: number): Promise<void> {
  await store.recordFailure(key, at, cfg);
  await store.recordFailure(key, at, cfg);
}

export function breakerStoreContract(name: string, makeStore: () => Promise<BreakerStore> | BreakerStore): void {
  describe(`BreakerStore contract: ${name}`, () => {
    test('an unknown key reads closed and admits', async () => {
      const store = await makeStore();
      assert.deepEqual(await store.read('t'), { state: 'closed', failures: 0, openedAt: 0, probeAt: 0 });
      assert.equal((await store.admit('t', 5, cfg)).admission, 'closed');
    });

    test('failures open the breaker and report the transition', async () => {
      const store = await makeStore();
      const first = await store.recordFailure('t', 100, cfg);
      assert.deepEqual([first.before, first.record.state], ['closed', 'closed']);
      const second = await store.recordFailure('t', 100, cfg);
      assert.deepEqual([second.before, second.record.state, second.record.openedAt], ['closed', 'open', 100]);
      assert.equal((await store.read('t')).state, 'open');
    });

    test('one probe per cooldown, even for simultaneous callers', async () => {
      const store = await makeStore();
      await tripped(store, 't', 0);
      assert.equal((await store.admit('t', 999, cfg)).admission, 'open');
      const results = await Promise.all([1, 2, 3, 4, 5].map(() => store.admit('t', 1_000, cfg)));
      const probes = results.filter((r) => r.admission === 'half-open-probe');
      assert.equal(probes.length, 1);
      assert.deepEqual([probes[0].before, probes[0].record.state], ['open', 'half-open']);
      assert.equal((await store.read('t')).state, 'half-open');
    });

    test('probe success closes; probe failure re-opens', async () => {
      const store = await makeStore();
      await tripped(store, 'a', 0);
      await tripped(store, 'b', 0);
      await store.admit('a', 1_000, cfg);
      await store.admit('b', 1_000, cfg);
      const ok = await store.recordSuccess('a', 1_100, cfg);
      assert.deepEqual([ok.before, ok.record.state], ['half-open', 'closed']);
      const bad = await store.recordFailure('b', 1_100, cfg);
      assert.deepEqual([bad.before, bad.record.state, bad.record.openedAt], ['half-open', 'open', 1_100]);
      assert.deepEqual(await store.read('a'), { state: 'closed', failures: 0, openedAt: 0, probeAt: 0 });
    });

    test('keys are independent and the config is read per call', async () => {
      const store = await makeStore();
      await store.recordFailure('a', 0, cfg);
      assert.equal((await store.read('b')).failures, 0);
      const strict = { failureThreshold: 1, cooldownMs: 50 };
      assert.equal((await store.recordFailure('b', 0, strict)).record.state, 'open');
      assert.equal((await store.admit('b', 50, strict)).admission, 'half-open-probe');
      assert.equal((await store.read('a')).state, 'closed');
    });
  });
}
