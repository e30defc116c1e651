// Unit tests for retry-policy.ts: no overrides leaves the policy as configured; each override
// replaces its field; a retry delay above maxMs lifts maxMs; a request timeout shortens the
// deadline but cannot extend it past the configured total.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestDeadline, withOverrides, type RetryPolicy } from './retry-policy.js';

const policy: RetryPolicy = {
  maxAttempts: 3,
  backoff: { type: 'exponential', baseMs: 200, maxMs: 5_000 },
  maxRetryAfterMs: 30_000,
  fallbackOnStatus: [404],
};

test('no overrides: as configured', () => {
  assert.deepEqual(withOverrides(policy, {}), policy);
});

test('overrides replace their fields', () => {
  assert.deepEqual(withOverrides(policy, { maxAttempts: 1, backoff: 'constant', retryDelayMs: 50 }), {
    ...policy, maxAttempts: 1, backoff: { type: 'constant', baseMs: 50, maxMs: 5_000 },
  });
});

test('a retry delay above maxMs lifts maxMs', () => {
  assert.deepEqual(withOverrides(policy, { retryDelayMs: 10_000 }).backoff, { type: 'exponential', baseMs: 10_000, maxMs: 10_000 });
});

test('request timeout shortens, never extends, the deadline', () => {
  assert.equal(requestDeadline(1_000, 120_000, {}), 121_000);
  assert.equal(requestDeadline(1_000, 120_000, { requestTimeoutMs: 5_000 }), 6_000);
  assert.equal(requestDeadline(1_000, 120_000, { requestTimeoutMs: 600_000 }), 121_000);
});
