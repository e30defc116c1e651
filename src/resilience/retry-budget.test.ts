// Unit tests for retry-budget.ts: a fresh budget lets the first failure retry (the reserve),
// the reserve is a loan repaid before deposits count, retries are refused once tokens run out
// and come back with new requests, the balance cap follows recent traffic, and the F2 property:
// a 10,000-request stream with 20% independent attempt failures (and 3 attempts per request)
// makes at most 1.2 × requests upstream attempts, while the same stream without the budget
// would have made more. Time is a hand-driven clock; randomness is seeded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RetryBudget } from './retry-budget.js';
import { seededRandom } from './seeded-random.js';

function clock(start = 0): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t, advance: (ms) => { t += ms; } };
}

describe('RetryBudget', () => {
  test('a fresh budget can retry its first failure, up to the reserve', () => {
    const b = new RetryBudget({ reserve: 2, now: clock().now });
    b.recordRequest();
    assert.equal(b.canRetry(), true);
    assert.equal(b.recordRetry(), true);
    assert.equal(b.recordRetry(), true);
    assert.equal(b.recordRetry(), false, 'reserve spent');
    assert.equal(b.available(), 0);
  });

  test('the reserve is a loan: early deposits repay it before adding tokens', () => {
    const b = new RetryBudget({ ratio: 0.2, reserve: 1, now: clock().now });
    assert.equal(b.recordRetry(), true);
    for (let i = 0; i < 5; i++) b.recordRequest(); // repays the 1-token loan
    assert.equal(b.canRetry(), false);
    for (let i = 0; i < 4; i++) b.recordRequest();
    assert.equal(b.canRetry(), false, '0.8 tokens is not a whole retry');
    b.recordRequest();
    assert.equal(b.recordRetry(), true, 'five more requests earn one retry');
  });

  test('the balance is capped by reserve plus ratio × recent requests', () => {
    const c = clock();
    const b = new RetryBudget({ ratio: 0.2, reserve: 10, windowMs: 10_000, now: c.now });
    for (let i = 0; i < 100; i++) {
      b.recordRequest();
      c.advance(1_000);
    }
    // 50 requests repaid the loan, 50 more earned 10 tokens (20 in all), but only ~10
    // requests fall inside the 10 s window, so the cap is 10 + 0.2 × 10.
    assert.equal(b.available(), 12);
  });

  test('ratio 0 allows only the reserve, ever', () => {
    const b = new RetryBudget({ ratio: 0, reserve: 3, now: clock().now });
    let granted = 0;
    for (let i = 0; i < 1_000; i++) {
      b.recordRequest();
      if (b.recordRetry()) granted++;
    }
    assert.equal(granted, 3);
  });

  test('rejects negative settings', () => {
    assert.throws(() => new RetryBudget({ ratio: -0.1 }), RangeError);
    assert.throws(() => new RetryBudget({ reserve: -1 }), RangeError);
    assert.throws(() => new RetryBudget({ ratio: Number.NaN }), RangeError);
  });
});

/** Runs `requests` client requests with up to 3 attempts each; every attempt fails with `failRate`. */
function simulate(requests: number, failRate: number, budget: RetryBudget | undefined, advance: () => void): number {
  const random = seededRandom(2024);
  let attempts = 0;
  for (let i = 0; i < requests; i++) {
    budget?.recordRequest();
    for (let attempt = 1; attempt <= 3; attempt++) {
      if (attempt > 1) {
        if (budget && !budget.recordRetry()) break;
      }
      attempts++;
      if (random() >= failRate) break;
    }
    advance();
  }
  return attempts;
}

describe('F2: sustained failures stay within 1.2 × client requests', () => {
  test('20% failures over 10,000 requests', () => {
    const c = clock();
    const withBudget = simulate(10_000, 0.2, new RetryBudget({ now: c.now }), () => c.advance(1));
    const without = simulate(10_000, 0.2, undefined, () => undefined);
    assert.ok(withBudget <= 12_000, `attempts ${withBudget}`);
    assert.ok(without > 12_000, `control run should exceed the bound, made ${without}`);
    assert.ok(withBudget > 11_500, `the budget should still allow most retries, made ${withBudget}`);
  });

  test('total failure: extra attempts never exceed max(reserve, ratio × requests)', () => {
    for (const n of [1, 10, 49, 50, 51, 1_000]) {
      const c = clock();
      const attempts = simulate(n, 1, new RetryBudget({ now: c.now }), () => c.advance(5));
      assert.ok(attempts - n <= Math.max(10, 0.2 * n), `${n} requests made ${attempts} attempts`);
    }
  });
});
