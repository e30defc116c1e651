import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheConfigSchema, compileCacheConfig, operationsConfigSchema } from './cache-config.js';
import { decideCache } from './cache-controls.js';

const cfg = compileCacheConfig(
  cacheConfigSchema.parse({ enabled: true, defaultTtl: 3600, minTtl: 60, maxTtl: 86_400 }),
  operationsConfigSchema.parse({ resume: { cacheTtl: 7200 }, gen: { cache: 'skip' }, compat: { scope: 'user', cacheTtl: 999_999 }, sem: { semantic: true } }),
);

describe('cache controls', () => {
  test('defaults', () => {
    assert.deepEqual(decideCache({}, null, null, cfg), { bypass: undefined, refresh: false, ttlMs: 3_600_000, scope: 'tenant', customKey: undefined, semantic: false });
  });

  test('headers and their aliases', () => {
    assert.equal(decideCache({ 'x-tollgate-skip-cache': 'true' }, null, null, cfg).bypass, 'skip');
    assert.equal(decideCache({ 'cf-aig-skip-cache': '1' }, null, null, cfg).bypass, 'skip');
    assert.equal(decideCache({ 'cf-aig-skip-cache': 'false' }, null, null, cfg).bypass, undefined);
    assert.equal(decideCache({ 'cf-aig-cache-ttl': '120' }, null, null, cfg).ttlMs, 120_000);
    assert.equal(decideCache({ 'x-tollgate-cache-ttl': '5' }, null, null, cfg).ttlMs, 60_000, 'clamped up');
    assert.equal(decideCache({ 'x-tollgate-cache-ttl': '9999999' }, null, null, cfg).ttlMs, 86_400_000, 'clamped down');
    assert.equal(decideCache({ 'x-tollgate-cache-ttl': '-5' }, null, null, cfg).ttlMs, 3_600_000, 'malformed is ignored');
    assert.equal(decideCache({ 'cf-aig-cache-key': 'abc' }, null, null, cfg).customKey, 'abc');
    assert.equal(decideCache({ 'x-tollgate-cache-key': 'x'.repeat(2000) }, null, null, cfg).customKey, undefined);
    assert.equal(decideCache({ 'x-tollgate-cache-scope': 'GLOBAL' }, null, null, cfg).scope, 'global');
    assert.equal(decideCache({ 'x-tollgate-cache-scope': 'bogus' }, null, null, cfg).scope, 'tenant');
    assert.equal(decideCache({ 'x-tollgate-cache-refresh': 'yes' }, null, null, cfg).refresh, true);
  });

  test('operation policy, and user scope without a user', () => {
    assert.equal(decideCache({}, 'resume', null, cfg).ttlMs, 7_200_000);
    assert.equal(decideCache({ 'x-tollgate-cache-ttl': '300' }, 'resume', null, cfg).ttlMs, 300_000, 'the request wins');
    assert.equal(decideCache({}, 'gen', null, cfg).bypass, 'operation');
    assert.equal(decideCache({}, 'compat', null, cfg).bypass, 'no-user');
    const compat = decideCache({}, 'compat', 'u1', cfg);
    assert.equal(compat.scope, 'user');
    assert.equal(compat.ttlMs, 86_400_000);
    assert.equal(decideCache({ 'x-tollgate-cache-scope': 'tenant' }, 'compat', null, cfg).bypass, undefined);
    assert.equal(decideCache({}, 'sem', null, cfg).semantic, true);
    assert.equal(decideCache({}, 'unknown-op', null, cfg).ttlMs, 3_600_000);
  });

  test('disabled', () => {
    const off = compileCacheConfig(cacheConfigSchema.parse({}), {});
    assert.equal(decideCache({}, null, null, off).bypass, 'disabled');
  });
});
