import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RequestTotals } from './request-totals.js';
import { makeEvent } from '../stores/events/event-fixtures.js';

test('counts requests, averages latency and remembers when each provider last answered', () => {
  const t = new RequestTotals();
  assert.equal(t.averageLatencyMs, null);
  t.observe(makeEvent({ provider: 'a', latencyMs: 10, time: 1_000, status: 200 }));
  t.observe(makeEvent({ provider: 'a', latencyMs: 30, time: 2_000, status: 502 }));
  t.observe(makeEvent({ provider: null, latencyMs: 2 }));
  assert.equal(t.requests, 3);
  assert.equal(t.averageLatencyMs, 14);
  assert.deepEqual(t.providers.get('a'), { lastAt: 2_030, lastStatus: 502 });
  assert.equal(t.providers.size, 1);
});
