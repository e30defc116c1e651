// Unit tests for latency-tracker.ts: the first sample is the average, later samples move it by
// alpha, an outlier moves it only partly, stale averages read as unknown and restart from the
// next sample, invalid samples are ignored, memory is bounded, and a bad alpha is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LatencyTracker } from './latency-tracker.js';

test('EWMA: first sample as is, then alpha of each difference', () => {
  const t = new LatencyTracker({ alpha: 0.5 });
  assert.equal(t.average('a', 0), undefined);
  t.record('a', 100, 0);
  assert.equal(t.average('a', 0), 100);
  t.record('a', 200, 1);
  assert.equal(t.average('a', 1), 150);
  t.record('a', 50, 2);
  assert.equal(t.average('a', 2), 100);
});

test('an outlier moves the default average by 30% only', () => {
  const t = new LatencyTracker();
  t.record('a', 100, 0);
  t.record('a', 1100, 0);
  assert.equal(t.average('a', 0), 400);
});

test('stale averages read as unknown and restart from the next sample', () => {
  const t = new LatencyTracker({ staleAfterMs: 1_000 });
  t.record('a', 5_000, 0);
  assert.equal(t.average('a', 1_000), 5_000);
  assert.equal(t.average('a', 1_001), undefined);
  t.record('a', 80, 2_000);
  assert.equal(t.average('a', 2_000), 80);
});

test('ignores invalid samples; bounded; validates alpha', () => {
  const t = new LatencyTracker({ maxKeys: 2 });
  t.record('a', Number.NaN, 0);
  t.record('a', -1, 0);
  assert.equal(t.average('a', 0), undefined);
  t.record('a', 1, 0);
  t.record('b', 2, 0);
  t.record('c', 3, 0);
  assert.equal(t.average('a', 0), undefined, 'evicted');
  assert.equal(t.average('c', 0), 3);
  assert.throws(() => new LatencyTracker({ alpha: 0 }), RangeError);
  assert.throws(() => new LatencyTracker({ alpha: 1.5 }), RangeError);
});
