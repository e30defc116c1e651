// Unit tests for backoff.ts: each curve's ceiling at successive attempts (random pinned near 1),
// full jitter reaching down to 0 (random 0) and staying inside the window for many draws, the
// maxMs clamp and the overflow guard at huge attempt numbers, constant ignoring jitter, and the
// Retry-After rules: hint preferred, rounded up, zero allowed, over-cap hint refused.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, retryDelay, type BackoffPolicy } from './backoff.js';
import { seededRandom } from './seeded-random.js';

const top = () => 0.999_999_999;
const zero = () => 0;
const exp: BackoffPolicy = { type: 'exponential', baseMs: 200, maxMs: 5000 };
const lin: BackoffPolicy = { type: 'linear', baseMs: 200, maxMs: 700 };
const con: BackoffPolicy = { type: 'constant', baseMs: 250, maxMs: 5000 };

describe('backoffDelay', () => {
  test('exponential ceiling doubles per attempt and stops at maxMs', () => {
    const got = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(exp, n, top));
    assert.deepEqual(got, [199, 399, 799, 1599, 3199, 4999, 4999]);
  });

  test('linear ceiling grows by baseMs per attempt and stops at maxMs', () => {
    assert.deepEqual([1, 2, 3, 4].map((n) => backoffDelay(lin, n, top)), [199, 399, 599, 699]);
  });

  test('full jitter: random 0 gives 0, and every draw stays in [0, ceiling)', () => {
    assert.equal(backoffDelay(exp, 3, zero), 0);
    assert.equal(backoffDelay(lin, 3, zero), 0);
    const lcg = seededRandom(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const d = backoffDelay(exp, 3, lcg);
      assert.ok(d >= 0 && d < 800, String(d));
      seen.add(Math.floor(d / 100));
    }
    assert.equal(seen.size, 8, 'draws spread over the whole window');
  });

  test('constant ignores jitter and is clamped by maxMs', () => {
    assert.equal(backoffDelay(con, 1, zero), 250);
    assert.equal(backoffDelay(con, 9, top), 250);
    assert.equal(backoffDelay({ type: 'constant', baseMs: 9000, maxMs: 5000 }, 1, zero), 5000);
  });

  test('huge attempt numbers and bad random values stay finite and in range', () => {
    assert.equal(backoffDelay(exp, 10_000, top), 4999);
    assert.equal(backoffDelay(exp, 2, () => 5), 399);
    assert.equal(backoffDelay(exp, 2, () => -1), 0);
    assert.equal(backoffDelay(exp, 0, top), 199, 'attempt below 1 is treated as the first');
  });
});

describe('retryDelay', () => {
  test('Retry-After wins over backoff and is rounded up to whole ms', () => {
    assert.deepEqual(retryDelay({ retryAfterSeconds: 2 }, exp, 1, zero, 30_000), { delayMs: 2000, source: 'retry-after' });
    assert.deepEqual(retryDelay({ retryAfterSeconds: 1.0004 }, exp, 1, zero, 30_000), { delayMs: 1001, source: 'retry-after' });
    assert.deepEqual(retryDelay({ retryAfterSeconds: 0 }, exp, 4, top, 30_000), { delayMs: 0, source: 'retry-after' });
  });

  test('a hint at the cap is honoured; beyond it there is no delay to offer', () => {
    assert.deepEqual(retryDelay({ retryAfterSeconds: 30 }, exp, 1, zero, 30_000), { delayMs: 30_000, source: 'retry-after' });
    assert.equal(retryDelay({ retryAfterSeconds: 31 }, exp, 1, zero, 30_000), undefined);
  });

  test('no usable hint falls back to the backoff curve', () => {
    assert.deepEqual(retryDelay({}, exp, 2, top, 30_000), { delayMs: 399, source: 'backoff' });
    assert.deepEqual(retryDelay({ retryAfterSeconds: -3 }, exp, 1, top, 30_000), { delayMs: 199, source: 'backoff' });
    assert.deepEqual(retryDelay({ retryAfterSeconds: Number.NaN }, con, 1, top, 30_000), { delayMs: 250, source: 'backoff' });
  });
});
