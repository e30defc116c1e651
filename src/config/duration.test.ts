import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationMs, parseDuration } from './duration.js';

test('durations parse to milliseconds', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('5m'), 300_000);
  assert.equal(parseDuration('1.5h'), 5_400_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration(1234), 1234);
  for (const bad of ['', '5', '1h30m', '-1m', 'm', '5 minutes']) assert.equal(parseDuration(bad), undefined, bad);
  assert.equal(parseDuration(-1), undefined);
});

test('the zod field enforces its bounds with a readable message', () => {
  const f = durationMs(60_000, 86_400_000);
  assert.equal(f.parse('10m'), 600_000);
  assert.throws(() => f.parse('10s'), /between/);
  assert.throws(() => f.parse('soon'), /duration such as/);
});
