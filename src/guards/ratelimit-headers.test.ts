import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rateHeaders, retryAfterSeconds } from './ratelimit-headers.js';

const checks = [
  { key: 'a', windowMs: 60_000, limit: 60, policy: 'default-1m' },
  { key: 'b', windowMs: 3_600_000, limit: 100, policy: 'default-1h' },
];

test('RateLimit reports the tightest policy; RateLimit-Policy lists them all (draft syntax)', () => {
  const h = rateHeaders(checks, [60, 100], { allowed: true, counts: [10, 98], resetMs: [30_500, 1_000_000], retryAfterMs: 0 });
  assert.deepEqual(h, { ratelimit: '"default-1h";r=1;t=1000', policy: '"default-1m";q=60;w=60, "default-1h";q=100;w=3600' });
});

test('a refused request reports r=0 (never negative) and the retry time', () => {
  const h = rateHeaders(checks, [60, 100], { allowed: false, counts: [60, 70], resetMs: [10_000, 5_000], retryAfterMs: 10_200 });
  assert.equal(h?.ratelimit, '"default-1m";r=0;t=11');
  assert.equal(rateHeaders([], [], { allowed: true, counts: [], resetMs: [], retryAfterMs: 0 }), undefined);
});

test('Retry-After is a whole number of seconds, at least 1', () => {
  assert.equal(retryAfterSeconds(0), 1);
  assert.equal(retryAfterSeconds(1_001), 2);
  assert.equal(retryAfterSeconds(59_999), 60);
});
