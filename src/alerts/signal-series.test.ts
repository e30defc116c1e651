import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../stores/events/event-fixtures.js';
import { MINUTE, quantile, SignalSeries } from './signal-series.js';

const T0 = Date.UTC(2026, 10, 23, 9);

test('windows sum whole minutes and forget what is older than the retention', () => {
  const s = new SignalSeries(10 * MINUTE, false);
  s.add(makeEvent({ costMicros: 5 }), T0);
  s.add(makeEvent({ costMicros: 7 }), T0 + 3 * MINUTE);
  assert.equal(s.window(5 * MINUTE, T0 + 3 * MINUTE).costMicros, 12);
  assert.equal(s.window(2 * MINUTE, T0 + 3 * MINUTE).costMicros, 7);
  assert.equal(s.window(60 * MINUTE, T0 + 12 * MINUTE).costMicros, 7, 'the first minute fell out of retention');
});

test('today resets at UTC midnight; unknown cost counts as zero', () => {
  const s = new SignalSeries(MINUTE, false);
  s.add(makeEvent({ costMicros: 1_000 }), Date.UTC(2026, 10, 23, 23, 59));
  s.add(makeEvent({ costMicros: null }), Date.UTC(2026, 10, 23, 23, 59));
  assert.equal(s.today(Date.UTC(2026, 10, 23, 23, 59, 30)).costMicros, 1_000);
  assert.equal(s.today(Date.UTC(2026, 10, 24, 0, 0, 1)).costMicros, 0);
});

test('latency quantiles never under-report and stay within one bucket (~19%)', () => {
  const s = new SignalSeries(10 * MINUTE, true);
  for (let i = 1; i <= 1000; i++) s.add(makeEvent({ latencyMs: i }), T0);
  const t = s.window(MINUTE, T0);
  const p95 = quantile(t.latency, 0.95)!;
  const p50 = quantile(t.latency, 0.5)!;
  assert.ok(p95 >= 950 && p95 <= 950 * 1.19, `p95 ${p95}`);
  assert.ok(p50 >= 500 && p50 <= 500 * 1.19, `p50 ${p50}`);
  assert.equal(quantile(undefined, 0.95), undefined);
});

test('the hour-of-week baseline appears after a week, counting quiet hours as zero', () => {
  const s = new SignalSeries(MINUTE, false);
  const H = 60 * MINUTE;
  s.add(makeEvent({ costMicros: 900 }), T0);
  assert.equal(s.baselineMicros(T0 + 1), undefined);
  assert.equal(s.baselineMicros(T0 + 168 * H), 900, 'same hour next week: the folded hour');
  assert.equal(s.baselineMicros(T0 + 169 * H), 0, 'a quiet hour counts as zero');
});
