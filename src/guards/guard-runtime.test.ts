import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccessStore } from './access-store.js';
import { budgetCounters } from './budget-windows.js';
import { GuardRuntime, localShare, type BudgetSignal } from './guard-runtime.js';

test('the approaching signal fires once per window at 80%, utilisation is reported for alerts', async () => {
  const g = new GuardRuntime(undefined, new MemoryAccessStore());
  const signals: BudgetSignal[] = [];
  g.signals.on('budget-approaching', (s: BudgetSignal) => signals.push(s));
  const [daily] = budgetCounters('tenant:acme', 'tenant "acme"', { perRequest: undefined, daily: 100, monthly: undefined }, Date.now());
  const first = await g.admit([], 'r1', [daily], 50, 1);
  assert.equal(first.budget?.ok, true);
  assert.equal(signals.length, 0);
  await g.admit([], 'r2', [daily], 35, 1);
  assert.equal(signals.length, 1);
  assert.deepEqual(signals[0], { counter: daily.key, limitMicros: 100, usedMicros: 85 });
  assert.deepEqual(g.budgetUtilization(), [{ scope: 'acme', ratio: 0.85 }]);
  g.settle({ groups: [{ kind: 'money', keys: [daily.key], reserved: 35, ttlMs: daily.ttlMs, limits: [100] }], settled: false }, { money: 5, tokens: 0 });
  await g.idle();
  assert.deepEqual(g.budgetUtilization(), [{ scope: 'acme', ratio: 0.55 }]);
  await g.admit([], 'r3', [daily], 40, 1);
  assert.equal(signals.length, 1, 'once per window');
  assert.equal(g.health().status, 'degraded', 'the key table was never read');
  g.registry.replace({ keys: [], tenants: [] });
  assert.equal(g.health().status, 'up');
  assert.equal(g.budgetUtilization(Date.now() + 3 * 86_400_000).length, 0, 'past windows are dropped');
});

test('a ticket settles once, however often it is handed in', async () => {
  const g = new GuardRuntime(undefined, new MemoryAccessStore());
  const [daily] = budgetCounters('key:k', 'key "k"', { perRequest: undefined, daily: 1_000, monthly: undefined }, Date.now());
  await g.admit([], 'r', [daily], 100, 1);
  const ticket = { groups: [{ kind: 'money' as const, keys: [daily.key], reserved: 100, ttlMs: daily.ttlMs, limits: [1_000] }], settled: false };
  g.settle(ticket, { money: 40, tokens: 0 });
  g.settle(ticket, { money: 40, tokens: 0 });
  await g.idle();
  assert.deepEqual(await g.budgets([daily.key]), [{ spent: 40, reserved: 0 }]);
});

test('the local share while Redis is down is limit / replicas, at least 1', () => {
  assert.equal(localShare(100, 2), 50);
  assert.equal(localShare(3, 2), 1);
  assert.equal(localShare(1, 5), 1);
});
