// Unit tests for retry-headers.ts: each header parses at its bounds, Tollgate and Cloudflare
// spellings are both accepted with Tollgate's first, an invalid first value yields to a valid
// alias, every kind of invalid value (out of range, signs, decimals, exponents, words, empty)
// is ignored without throwing, repeated headers are scanned in order, and no headers means no
// overrides at all (no undefined-valued keys).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryOverrides } from './retry-headers.js';

test('no headers, no overrides', () => {
  assert.deepEqual(parseRetryOverrides({}), {});
  assert.deepEqual(Object.keys(parseRetryOverrides({ 'cf-aig-backoff': 'x' })), []);
});

test('every header at its bounds', () => {
  assert.deepEqual(parseRetryOverrides({
    'cf-aig-max-attempts': '10', 'cf-aig-retry-delay': '0', 'cf-aig-backoff': 'Linear', 'cf-aig-request-timeout': '600000',
  }), { maxAttempts: 10, retryDelayMs: 0, backoff: 'linear', requestTimeoutMs: 600_000 });
  assert.deepEqual(parseRetryOverrides({
    'x-tollgate-max-attempts': ' 1 ', 'cf-aig-retry-delay': '60000', 'cf-aig-backoff': 'constant', 'x-tollgate-request-timeout': '1',
  }), { maxAttempts: 1, retryDelayMs: 60_000, backoff: 'constant', requestTimeoutMs: 1 });
});

test('Tollgate spelling wins; an invalid one yields to a valid alias', () => {
  assert.deepEqual(parseRetryOverrides({ 'x-tollgate-max-attempts': '2', 'cf-aig-max-attempts': '5' }), { maxAttempts: 2 });
  assert.deepEqual(parseRetryOverrides({ 'x-tollgate-max-attempts': '99', 'cf-aig-max-attempts': '5' }), { maxAttempts: 5 });
  assert.deepEqual(parseRetryOverrides({ 'x-tollgate-request-timeout': 'soon', 'cf-aig-request-timeout': '2500' }), { requestTimeoutMs: 2_500 });
});

test('invalid values are ignored, never thrown', () => {
  const bad = ['0', '11', '-1', '+2', '2.5', '1e1', '0x3', 'three', '', '  ', '12345678901'];
  for (const v of bad) {
    assert.deepEqual(parseRetryOverrides({ 'cf-aig-max-attempts': v }), {}, `max-attempts ${JSON.stringify(v)}`);
  }
  assert.deepEqual(parseRetryOverrides({ 'cf-aig-retry-delay': '60001' }), {});
  assert.deepEqual(parseRetryOverrides({ 'cf-aig-request-timeout': '0' }), {});
  assert.deepEqual(parseRetryOverrides({ 'cf-aig-request-timeout': '600001' }), {});
  assert.deepEqual(parseRetryOverrides({ 'cf-aig-backoff': 'fibonacci' }), {});
});

test('repeated headers are scanned in order', () => {
  assert.deepEqual(parseRetryOverrides({ 'cf-aig-max-attempts': ['x', '4'] }), { maxAttempts: 4 });
});
