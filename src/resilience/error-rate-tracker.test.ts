// Unit tests for error-rate-tracker.ts: the rate is failures over attempts within the window,
// targets are independent, old outcomes age out, an unknown target reads as 0 of 0, and the
// number of tracked targets is bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorRateTracker } from './error-rate-tracker.js';

test('failed share of recent attempts, per target', () => {
  const t = new ErrorRateTracker({ windowMs: 10_000 });
  for (let i = 0; i < 8; i++) t.record('a', true, 1_000);
  t.record('a', false, 2_000);
  t.record('a', false, 2_000);
  t.record('b', false, 2_000);
  assert.deepEqual(t.rate('a', 2_000), { errorRate: 0.2, samples: 10 });
  assert.deepEqual(t.rate('b', 2_000), { errorRate: 1, samples: 1 });
  assert.deepEqual(t.rate('c', 2_000), { errorRate: 0, samples: 0 });
});

test('outcomes age out of the window', () => {
  const t = new ErrorRateTracker({ windowMs: 10_000 });
  t.record('a', false, 0);
  t.record('a', true, 5_000);
  assert.deepEqual(t.rate('a', 9_000), { errorRate: 0.5, samples: 2 });
  assert.deepEqual(t.rate('a', 10_500), { errorRate: 0, samples: 1 });
  assert.deepEqual(t.rate('a', 30_000), { errorRate: 0, samples: 0 });
});

test('tracks at most maxKeys targets', () => {
  const t = new ErrorRateTracker({ maxKeys: 1 });
  t.record('a', false, 0);
  t.record('b', false, 0);
  assert.equal(t.rate('a', 0).samples, 0);
  assert.equal(t.rate('b', 0).samples, 1);
});
