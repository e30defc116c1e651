import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetCounters, parseCounter } from './budget-windows.js';

test('daily and monthly counters are named after their UTC window and expire a day after it', () => {
  const now = Date.UTC(2026, 10, 23, 15, 30);
  const [d, m] = budgetCounters('key:k1', 'key "k1"', { perRequest: 1, daily: 100, monthly: 1_000 }, now);
  assert.equal(d.key, 'b:key:k1:d:2026-11-23');
  assert.equal(d.resetsAt, Date.UTC(2026, 10, 24));
  assert.equal(d.ttlMs, Date.UTC(2026, 10, 24) - now + 86_400_000);
  assert.equal(m.key, 'b:key:k1:m:2026-11');
  assert.equal(m.resetsAt, Date.UTC(2026, 11, 1));
  assert.deepEqual(budgetCounters('t', 't', { perRequest: 5, daily: undefined, monthly: undefined }, now), []);
  assert.deepEqual(parseCounter(d.key), { kind: 'key', id: 'k1', endsAt: d.resetsAt });
  assert.deepEqual(parseCounter('b:tenant:acme%2Fx:m:2026-12'), { kind: 'tenant', id: 'acme/x', endsAt: Date.UTC(2027, 0, 1) });
  assert.equal(parseCounter('t:key:x:m123'), undefined);
});

test('names kept between requests follow the calendar: a new day and a new month get new counters', () => {
  const limits = { perRequest: undefined, daily: 100, monthly: 1_000 };
  const lastOfMonth = Date.UTC(2026, 10, 30, 23, 59, 59);
  const [d1, m1] = budgetCounters('key:k2', 'key "k2"', limits, lastOfMonth);
  assert.deepEqual([d1.key, m1.key], ['b:key:k2:d:2026-11-30', 'b:key:k2:m:2026-11']);
  const [d2, m2] = budgetCounters('key:k2', 'key "k2"', limits, lastOfMonth + 2_000);
  assert.deepEqual([d2.key, m2.key], ['b:key:k2:d:2026-12-01', 'b:key:k2:m:2026-12']);
  const [back] = budgetCounters('key:k2', 'key "k2"', limits, lastOfMonth);
  assert.equal(back.key, 'b:key:k2:d:2026-11-30', 'a request that started yesterday settles on yesterday');
});
