/**
 * The contract every AlertHistoryStore backend passes: newest-first listing, filters by time
 * and rule, the page cap, pruning, and values that survive the round trip. Backend test files
 * call it with a factory that opens a fresh, empty store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import type { AlertTransition } from './alert-lifecycle.js';
import type { AlertHistoryStore } from './alert-history-store.js';

const T0 = Date.UTC(2026, 10, 23, 9);

export function transition(i: number, o: Partial<AlertTransition> = {}): AlertTransition {
  return {
    key: `rule-${i % 3}|*`, rule: `rule-${i % 3}`, scope: i % 2 ? 'acme' : '*', state: i % 2 ? 'resolved' : 'firing', severity: 'critical',
    signal: 'error_rate', value: 0.1 + i / 1000, threshold: 0.05, comparison: 'above', since: T0 + i * 1000 - 500, at: T0 + i * 1000, ...o,
  };
}

export function runAlertHistoryContract(name: string, open: () => Promise<AlertHistoryStore>): void {
  describe(`AlertHistoryStore contract: ${name}`, () => {
    let store: AlertHistoryStore;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => { await store.close(); });

    test('lists newest first with every field intact', async () => {
      for (let i = 0; i < 5; i++) await store.append(transition(i));
      const rows = await store.list({ limit: 10 });
      assert.deepEqual(rows, [4, 3, 2, 1, 0].map((i) => transition(i)));
    });

    test('filters by since and rule, and caps the page', async () => {
      for (let i = 0; i < 12; i++) await store.append(transition(i));
      assert.deepEqual((await store.list({ limit: 100, since: T0 + 9_000 })).map((r) => r.at), [T0 + 11_000, T0 + 10_000, T0 + 9_000]);
      assert.deepEqual((await store.list({ limit: 100, rule: 'rule-1' })).map((r) => r.at), [10, 7, 4, 1].map((i) => T0 + i * 1000));
      assert.equal((await store.list({ limit: 2 })).length, 2);
      assert.equal((await store.list({ limit: 5_000 })).length, 12);
    });

    test('prunes rows older than a cutoff', async () => {
      for (let i = 0; i < 6; i++) await store.append(transition(i));
      assert.equal(await store.prune(T0 + 3_000), 3);
      assert.deepEqual((await store.list({ limit: 10 })).map((r) => r.at), [5, 4, 3].map((i) => T0 + i * 1000));
    });

    test('hostile strings are stored as data', async () => {
      const scope = `x'); DROP TABLE alert_history; --\u2028`;
      await store.append(transition(1, { scope }));
      assert.equal((await store.list({ limit: 1 }))[0]!.scope, scope);
    });
  });
}
