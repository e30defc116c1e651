// Unit tests for seeded-random.ts: the same seed repeats the same sequence, different seeds
// differ, values stay in [0, 1), a zero or negative seed still produces a usable sequence, and
// the mean of many draws is near one half (a broken generator would skew the simulations).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seededRandom } from './seeded-random.js';

test('same seed, same sequence; different seed, different sequence', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const c = seededRandom(43);
  const sa = [a(), a(), a()];
  assert.deepEqual(sa, [b(), b(), b()]);
  assert.notDeepEqual(sa, [c(), c(), c()]);
});

test('values are in [0, 1) and average near 0.5', () => {
  for (const seed of [0, -5, 1, 123456789]) {
    const r = seededRandom(seed);
    let sum = 0;
    for (let i = 0; i < 10_000; i++) {
      const v = r();
      assert.ok(v >= 0 && v < 1, `${seed}: ${v}`);
      sum += v;
    }
    assert.ok(Math.abs(sum / 10_000 - 0.5) < 0.02, `${seed}: mean ${sum / 10_000}`);
  }
});
