import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageRow } from './analytics-store.js';
import { summarize } from './gateway-summary.js';
import { bucketOf } from './latency-sketch.js';

function row(over: Partial<UsageRow>): UsageRow {
  return {
    provider: 'p', model: 'm', tenant: null, operation: null, requests: 10, errors: 1, tokensIn: 100, tokensOut: 50, cacheHits: 2, cacheMisses: 6,
    costMicros: 5_000, unpriced: 0, savedMicros: 1_000, latencySumMs: 1000, latency: { [bucketOf(100)]: 10 }, ...over,
  };
}

test('totals, breakdowns, hit rate, percentiles and the monthly projection', () => {
  const s = summarize([row({}), row({ provider: 'q', model: 'n', operation: 'faq', tenant: 'acme', costMicros: 15_000, latency: { [bucketOf(1000)]: 10 }, latencySumMs: 10_000 })], '24h', 0, 86_400_000);
  assert.deepEqual(s.requests, { total: 20, success: 18, error: 2, byModel: { 'p/m': 10, 'q/n': 10 }, byProvider: { p: 10, q: 10 } });
  assert.equal(s.costs.totalUsd, 0.02);
  assert.deepEqual(s.costs.byOperation, { '(none)': 0.005, faq: 0.015 });
  assert.deepEqual(s.costs.byTenant, { '(none)': 0.005, acme: 0.015 });
  assert.deepEqual(s.tokens, { input: 200, output: 100, total: 300 });
  assert.equal(s.cache.hitRate, 0.25);
  assert.equal(s.cache.savedUsd, 0.002);
  assert.equal(s.latency.averageMs, 550);
  assert.ok(Math.abs(s.latency.p50Ms! - 100) / 100 < 0.1);
  assert.ok(Math.abs(s.latency.p99Ms! - 1000) / 1000 < 0.1);
  assert.equal(s.projection.monthlyCostUsd, 0.6);
});

test('an empty window has nulls, not zeros, where nothing can be said', () => {
  const s = summarize([], '1h', 0, 3_600_000);
  assert.equal(s.latency.p50Ms, null);
  assert.equal(s.cache.hitRate, null);
  assert.equal(s.requests.total, 0);
});
