import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runBucketedWindowContract, runGuardStoreContract } from './guard-store.contract.js';
import { MemoryGuardStore } from './memory-guard-store.js';

runGuardStoreContract('memory', async () => new MemoryGuardStore());
runBucketedWindowContract('memory', async () => new MemoryGuardStore(Date.now, 5));

test('memory: large windows slide without losing count (head compaction)', async () => {
  let now = 1_000_000;
  const s = new MemoryGuardStore(() => now, Number.POSITIVE_INFINITY); // exact stamps, whatever the limit
  const check = [{ key: 'big', windowMs: 10_000, limit: 100_000 }];
  for (let i = 0; i < 5_000; i++) {
    now += 1;
    await s.hit(check, String(i));
  }
  now += 10_000 - 2_500; // the first half has left the window
  const r = await s.hit(check, 'x');
  assert.equal(r.counts[0], 2_500);
  now += 20_000;
  assert.equal((await s.hit(check, 'y')).counts[0], 0);
  assert.equal((await s.hit(check, 'z')).counts[0], 1);
});

test('memory: budget counters start from zero after they expire', async () => {
  let now = 0;
  const s = new MemoryGuardStore(() => now);
  await s.reserve([{ key: 'b', limit: 10, ttlMs: 100 }], 10);
  assert.equal((await s.reserve([{ key: 'b', limit: 10, ttlMs: 100 }], 1)).ok, false);
  now = 200_000; // also past the sweep interval
  await s.hit([{ key: 'w', windowMs: 10, limit: 1 }], 'm');
  assert.deepEqual(await s.budgets(['b']), [{ spent: 0, reserved: 0 }]);
  assert.equal((await s.reserve([{ key: 'b', limit: 10, ttlMs: 100 }], 10)).ok, true);
});

test('memory: a window with a large limit keeps per-bucket counts, bounded by time, and slides', async () => {
  let now = 1_000_000;
  const s = new MemoryGuardStore(() => now);
  const check = [{ key: 'huge', windowMs: 10_000, limit: 1_000_000 }];
  for (let i = 0; i < 50_000; i++) {
    now += 1;
    await s.hit(check, String(i));
  }
  now += 10_000 - 2_500;
  // Exact would be 2,500; a bucket (10 ms here) leaves only once all of it is out: up to one more bucket.
  const counted = (await s.hit(check, 'x')).counts[0];
  assert.ok(counted >= 2_500 && counted <= 2_510, String(counted));
  now += 20_000;
  assert.equal((await s.hit(check, 'y')).counts[0], 0);
});
