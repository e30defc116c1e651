/**
 * The one contract every GuardStore backend passes: exact sliding windows (never more than
 * `limit` in a window, all-or-nothing across windows, integer retry times), and budgets whose
 * reservations are all-or-nothing, never exceed a limit under concurrency, and settle exactly.
 * Backend test files call runGuardStoreContract with a factory giving a fresh, empty store.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GuardStore } from './guard-store.js';

export function runGuardStoreContract(name: string, open: () => Promise<GuardStore>): void {
  describe(`GuardStore contract: ${name}`, () => {
    test('a window admits exactly its limit, then refuses with a retry time within the window', async () => {
      const s = await open();
      const check = [{ key: 'w1', windowMs: 60_000, limit: 3 }];
      const results = [];
      for (let i = 0; i < 5; i++) results.push(await s.hit(check, `m${i}`));
      assert.deepEqual(results.map((r) => r.allowed), [true, true, true, false, false]);
      assert.deepEqual(results.slice(0, 3).map((r) => r.counts[0]), [0, 1, 2]);
      const refused = results[3];
      assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 60_000, String(refused.retryAfterMs));
    });

    test('several windows are all-or-nothing: a full one stops counting in the others', async () => {
      const s = await open();
      await s.hit([{ key: 'small', windowMs: 60_000, limit: 1 }], 'a');
      const r = await s.hit([{ key: 'big', windowMs: 60_000, limit: 10 }, { key: 'small', windowMs: 60_000, limit: 1 }], 'b');
      assert.equal(r.allowed, false);
      const again = await s.hit([{ key: 'big', windowMs: 60_000, limit: 10 }], 'c');
      assert.equal(again.counts[0], 0, 'the refused request left no entry in the other window');
    });

    test('entries leave the window after windowMs (sliding)', async () => {
      const s = await open();
      const check = [{ key: 'slide', windowMs: 150, limit: 1 }];
      assert.equal((await s.hit(check, 'a')).allowed, true);
      assert.equal((await s.hit(check, 'b')).allowed, false);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal((await s.hit(check, 'c')).allowed, true);
    });

    test('concurrent hits never exceed the limit', async () => {
      const s = await open();
      const check = [{ key: 'race', windowMs: 60_000, limit: 25 }];
      const all = await Promise.all(Array.from({ length: 60 }, (_, i) => s.hit(check, `r${i}`)));
      assert.equal(all.filter((r) => r.allowed).length, 25);
    });

    test('reservations are all-or-nothing and never push a budget past its limit', async () => {
      const s = await open();
      const checks = [{ key: 'day', limit: 1_000, ttlMs: 60_000 }, { key: 'month', limit: 250, ttlMs: 60_000 }];
      const all = await Promise.all(Array.from({ length: 10 }, () => s.reserve(checks, 100)));
      assert.equal(all.filter((r) => r.ok).length, 2);
      const refused = all.find((r) => !r.ok)!;
      assert.equal(refused.refused, 1);
      const [day, month] = await s.budgets(['day', 'month']);
      assert.deepEqual(day, { spent: 0, reserved: 200 });
      assert.deepEqual(month, { spent: 0, reserved: 200 });
    });

    test('admit: a refusal on either side counts and reserves nothing', async () => {
      const s = await open();
      const rates = [{ key: 'ar', windowMs: 60_000, limit: 2 }];
      const budgets = [{ key: 'ab', limit: 150, ttlMs: 60_000 }];
      const first = await s.admit(rates, 'a', budgets, 100);
      assert.equal(first.rate.allowed, true);
      assert.equal(first.budget?.ok, true);
      const overBudget = await s.admit(rates, 'b', budgets, 100);
      assert.equal(overBudget.budget?.ok, false);
      assert.equal(overBudget.budget?.refused, 0);
      assert.deepEqual(overBudget.budget?.states[0], { spent: 0, reserved: 100 });
      const third = await s.admit(rates, 'c', budgets, 10);
      assert.equal(third.rate.counts[0], 1, 'the budget refusal was not counted as a request');
      assert.equal(third.budget?.ok, true);
      const overRate = await s.admit(rates, 'd', budgets, 10);
      assert.equal(overRate.rate.allowed, false);
      assert.equal(overRate.budget, undefined);
      assert.deepEqual(await s.budgets(['ab']), [{ spent: 0, reserved: 110 }], 'the rate refusal reserved nothing');
    });

    test('admit: a counter with its own amount (tokens) reserves that, the others the call amount', async () => {
      const s = await open();
      const budgets = [{ key: 'money', limit: 1_000, ttlMs: 60_000 }, { key: 'tokens', limit: 500, ttlMs: 60_000, amount: 300 }];
      assert.equal((await s.admit([], 'a', budgets, 10)).budget?.ok, true);
      assert.deepEqual(await s.budgets(['money', 'tokens']), [{ spent: 0, reserved: 10 }, { spent: 0, reserved: 300 }]);
      const refused = await s.admit([], 'b', budgets, 10);
      assert.equal(refused.budget?.refused, 1, 'the token window is full');
      assert.deepEqual(await s.budgets(['money']), [{ spent: 0, reserved: 10 }]);
    });

    test('settling moves the reservation to the actual spend', async () => {
      const s = await open();
      const checks = [{ key: 'b1', limit: 1_000, ttlMs: 60_000 }];
      assert.equal((await s.reserve(checks, 400)).ok, true);
      assert.deepEqual(await s.settle(['b1'], 400, 123, 60_000), [{ spent: 123, reserved: 0 }]);
      assert.deepEqual(await s.budgets(['b1', 'unknown']), [{ spent: 123, reserved: 0 }, { spent: 0, reserved: 0 }]);
      const r = await s.reserve(checks, 900);
      assert.equal(r.ok, false);
      assert.deepEqual(r.states[0], { spent: 123, reserved: 0 });
      assert.equal((await s.reserve(checks, 877)).ok, true);
    });
  });
}

/**
 * Windows whose limit is above the store's exact threshold keep per-bucket counts
 * (bucket-ring.ts). Backends run this with a tiny threshold (`open` builds such a store), so
 * small limits exercise the bucketed form: still never more than the limit, all-or-nothing,
 * sliding, and an entry never leaves earlier than its exact time (at most one bucket later).
 */
export function runBucketedWindowContract(name: string, open: () => Promise<GuardStore>): void {
  describe(`GuardStore contract, bucketed windows: ${name}`, () => {
    test('a bucketed window admits exactly its limit, then refuses with a retry time within the window', async () => {
      const s = await open();
      const check = [{ key: 'bw1', windowMs: 60_000, limit: 10 }];
      const results = [];
      for (let i = 0; i < 12; i++) results.push(await s.hit(check, `m${i}`));
      assert.deepEqual(results.map((r) => r.allowed), [...Array(10).fill(true), false, false]);
      assert.deepEqual(results.slice(0, 10).map((r) => r.counts[0]), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const refused = results[10];
      assert.ok(refused.retryAfterMs > 0 && refused.retryAfterMs <= 60_000 + 60, String(refused.retryAfterMs));
      assert.ok(refused.resetMs[0] > 0 && refused.resetMs[0] <= 60_000 + 60, String(refused.resetMs[0]));
    });

    test('bucketed and exact windows are all-or-nothing together', async () => {
      const s = await open();
      await s.hit([{ key: 'bsmall', windowMs: 60_000, limit: 1 }], 'a');
      const r = await s.hit([{ key: 'bbig', windowMs: 60_000, limit: 10 }, { key: 'bsmall', windowMs: 60_000, limit: 1 }], 'b');
      assert.equal(r.allowed, false);
      assert.equal((await s.hit([{ key: 'bbig', windowMs: 60_000, limit: 10 }], 'c')).counts[0], 0);
    });

    test('bucketed entries leave the window, no earlier than windowMs', async () => {
      const s = await open();
      const check = [{ key: 'bslide', windowMs: 300, limit: 6 }];
      for (let i = 0; i < 6; i++) assert.equal((await s.hit(check, `a${i}`)).allowed, true);
      const t0 = Date.now();
      const refused = await s.hit(check, 'b');
      assert.equal(refused.allowed, false);
      assert.ok(refused.retryAfterMs > 0, 'no room before the entries leave');
      await new Promise((r) => setTimeout(r, 400 - (Date.now() - t0)));
      assert.equal((await s.hit(check, 'c')).allowed, true);
    });

    test('concurrent hits on a bucketed window never exceed the limit', async () => {
      const s = await open();
      const check = [{ key: 'brace', windowMs: 60_000, limit: 25 }];
      const all = await Promise.all(Array.from({ length: 60 }, (_, i) => s.hit(check, `r${i}`)));
      assert.equal(all.filter((r) => r.allowed).length, 25);
    });
  });
}
