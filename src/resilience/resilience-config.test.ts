// Unit tests for resilience-config.ts: an empty section gets every default; partial nested
// sections keep their other defaults; env-interpolated strings are coerced; unknown keys are
// rejected at every level with their path; range rules (attempts, ratio, statuses, baseMs ≤
// maxMs) hold; target conditions accept tenants/operations/metadata, stringify scalar metadata
// and reject unknown keys and empty lists; the shape merges with a timeouts object; and the
// parsed section maps onto the retry policy and breaker config.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import {
  breakerConfigFromConfig, resilienceConfigShape, resilienceConfigSchema, retryPolicyFromConfig, targetConditionSchema,
} from './resilience-config.js';

function paths(schema: z.ZodType, doc: unknown): string[] {
  const r = schema.safeParse(doc);
  assert.equal(r.success, false, `expected ${JSON.stringify(doc)} to be rejected`);
  return (r.error?.issues ?? []).map((i) => i.path.map(String).join('.'));
}

const defaults = {
  maxAttempts: 3,
  backoff: { type: 'exponential', baseMs: 200, maxMs: 5_000 },
  retryBudgetRatio: 0.2,
  maxRetryAfterMs: 30_000,
  fallbackOnStatus: [],
  circuitBreaker: { failureThreshold: 5, cooldownMs: 30_000 },
};

describe('resilienceConfigSchema', () => {
  test('empty section: every default', () => {
    assert.deepEqual(resilienceConfigSchema.parse({}), defaults);
  });

  test('partial nested sections keep their defaults; strings are coerced', () => {
    const cfg = resilienceConfigSchema.parse({ maxAttempts: '5', backoff: { type: 'linear' }, circuitBreaker: { cooldownMs: '1000' }, fallbackOnStatus: ['404', 429] });
    assert.deepEqual(cfg, {
      ...defaults, maxAttempts: 5, backoff: { type: 'linear', baseMs: 200, maxMs: 5_000 },
      circuitBreaker: { failureThreshold: 5, cooldownMs: 1_000 }, fallbackOnStatus: [404, 429],
    });
  });

  test('unknown keys rejected at every level', () => {
    assert.deepEqual(paths(resilienceConfigSchema, { retries: 3 }), ['']);
    assert.deepEqual(paths(resilienceConfigSchema, { backoff: { jitter: true } }), ['backoff']);
    assert.deepEqual(paths(resilienceConfigSchema, { circuitBreaker: { threshold: 3 } }), ['circuitBreaker']);
  });

  test('range rules', () => {
    assert.deepEqual(paths(resilienceConfigSchema, { maxAttempts: 0 }), ['maxAttempts']);
    assert.deepEqual(paths(resilienceConfigSchema, { maxAttempts: 11 }), ['maxAttempts']);
    assert.deepEqual(paths(resilienceConfigSchema, { retryBudgetRatio: 1.5 }), ['retryBudgetRatio']);
    assert.deepEqual(paths(resilienceConfigSchema, { fallbackOnStatus: [200] }), ['fallbackOnStatus.0']);
    assert.deepEqual(paths(resilienceConfigSchema, { backoff: { baseMs: 6_000 } }), ['backoff.baseMs']);
    assert.deepEqual(paths(resilienceConfigSchema, { backoff: { type: 'fibonacci' } }), ['backoff.type']);
    assert.deepEqual(paths(resilienceConfigSchema, { circuitBreaker: { failureThreshold: 0 } }), ['circuitBreaker.failureThreshold']);
  });

  test('the shape merges with a timeouts object, still strict', () => {
    const merged = z.object({ ...resilienceConfigShape, timeouts: z.object({ totalMs: z.number().default(1) }).strict().prefault({}) }).strict();
    assert.deepEqual(merged.parse({}), { ...defaults, timeouts: { totalMs: 1 } });
    assert.deepEqual(paths(merged, { bogus: 1 }), ['']);
  });

  test('maps onto the retry policy and breaker config', () => {
    const cfg = resilienceConfigSchema.parse({ fallbackOnStatus: [404] });
    assert.deepEqual(retryPolicyFromConfig(cfg), {
      maxAttempts: 3, backoff: { type: 'exponential', baseMs: 200, maxMs: 5_000 }, maxRetryAfterMs: 30_000, fallbackOnStatus: [404],
    });
    assert.deepEqual(breakerConfigFromConfig(cfg), { failureThreshold: 5, cooldownMs: 30_000 });
  });
});

describe('targetConditionSchema', () => {
  test('accepts each condition; scalar metadata becomes strings', () => {
    assert.deepEqual(targetConditionSchema.parse({ tenants: ['acme'], operations: ['resume_parsing'], metadata: { tier: 1, beta: true, team: 'hr' } }), {
      tenants: ['acme'], operations: ['resume_parsing'], metadata: { tier: '1', beta: 'true', team: 'hr' },
    });
    assert.deepEqual(targetConditionSchema.parse({}), {});
  });

  test('rejects unknown keys, empty lists and bad operation names', () => {
    assert.deepEqual(paths(targetConditionSchema, { tenant: ['acme'] }), ['']);
    assert.deepEqual(paths(targetConditionSchema, { tenants: [] }), ['tenants']);
    assert.deepEqual(paths(targetConditionSchema, { operations: ['has space'] }), ['operations.0']);
    assert.deepEqual(paths(targetConditionSchema, { metadata: { team: ['a'] } }), ['metadata.team']);
  });
});
