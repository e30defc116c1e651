import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BucketRing, bucketWidthMs, BUCKETS_PER_WINDOW } from './bucket-ring.js';

test('counts requests per bucket and reports each entry at the last instant of its bucket', () => {
  const r = new BucketRing(10);
  for (const t of [100, 101, 109, 110, 125]) r.push(t);
  assert.equal(r.size, 5);
  assert.equal(r.buckets, 3);
  assert.deepEqual([0, 1, 2, 3, 4].map((i) => r.at(i)), [109, 109, 109, 119, 129]);
});

test('a bucket leaves only when its last instant is past the cutoff: never earlier than exact', () => {
  const r = new BucketRing(10);
  r.push(100);
  r.push(105);
  r.dropThrough(108); // exact stamps 100 and 105 would both be gone; the bucket ends at 109
  assert.equal(r.size, 2);
  r.dropThrough(109);
  assert.equal(r.size, 0);
});

test('memory stays bounded by the window, not by the number of requests', () => {
  const windowMs = 60_000;
  const r = new BucketRing(bucketWidthMs(windowMs));
  for (let t = 0; t < 10 * windowMs; t += 7) {
    r.dropThrough(t - windowMs);
    r.push(t);
  }
  assert.ok(r.buckets <= BUCKETS_PER_WINDOW + 1, String(r.buckets));
  assert.ok(r.size >= Math.floor(windowMs / 7) - 1 && r.size <= Math.ceil((windowMs + bucketWidthMs(windowMs)) / 7) + 1, String(r.size));
});
