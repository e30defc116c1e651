import { test } from 'node:test';
import assert from 'node:assert/strict';
import { retentionCutoff } from './retention.js';

test('cutoff is now minus whole or fractional days', () => {
  const now = Date.UTC(2025, 0, 31, 12);
  assert.equal(retentionCutoff(30, now), Date.UTC(2025, 0, 1, 12));
  assert.equal(retentionCutoff(0, now), now);
  assert.equal(retentionCutoff(0.5, now), Date.UTC(2025, 0, 31, 0));
});

test('rejects negative or non-finite input', () => {
  for (const days of [-1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => retentionCutoff(days, 0), RangeError);
  assert.throws(() => retentionCutoff(1, Number.NaN), RangeError);
});
