// Property tests (B12) for the per-request cache control headers: for any header values (strings,
// arrays, blanks, junk, Tollgate names and cf-aig aliases) and any operation, decideCache never
// throws; the TTL is always within [minTtl, maxTtl] and follows a well-formed ttl header; the
// scope is one of the three; a custom key is never blank, never padded and at most 1,024
// characters; and a `user`-scoped answer is never cached without an end user. Seeded, bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IncomingHttpHeaders } from 'node:http';
import { fuzzParams, loadCorpus } from '../../test/fuzz-corpus/corpus.js';
import { cacheConfigSchema, compileCacheConfig, operationsConfigSchema } from './cache-config.js';
import { decideCache } from './cache-controls.js';

const cfg = compileCacheConfig(
  cacheConfigSchema.parse({ enabled: true, defaultTtl: 3600, minTtl: 60, maxTtl: 86_400 }),
  operationsConfigSchema.parse({ resume: { cacheTtl: 7200 }, gen: { cache: 'skip' }, compat: { scope: 'user' }, sem: { semantic: true } }),
);
const off = compileCacheConfig(cacheConfigSchema.parse({ enabled: false }), {});

const NAMES = ['x-tollgate-cache-ttl', 'cf-aig-cache-ttl', 'x-tollgate-cache-key', 'cf-aig-cache-key', 'x-tollgate-cache-scope', 'cf-aig-cache-scope', 'x-tollgate-skip-cache', 'cf-aig-skip-cache', 'x-tollgate-cache-refresh'];
const value = fc.oneof(
  fc.constantFrom('', ' ', '\t', '0', '1', '60', ' 120 ', '-5', '1e3', '9999999999', '99999999999', 'true', 'TRUE', 'yes', 'false', 'global', 'Tenant', 'USER', 'x'.repeat(1025), ' k '),
  fc.string({ maxLength: 20 }),
  fc.stringMatching(/^\d{1,12}$/),
);
const headers = fc.dictionary(fc.constantFrom(...NAMES), fc.oneof(value, fc.array(value, { maxLength: 2 })));
const operation = fc.constantFrom(null, 'resume', 'gen', 'compat', 'sem', 'unknown', '__proto__', 'constructor');
const user = fc.constantFrom(null, 'u1');

/** The first present value of a header or its alias, as a client would mean it. */
function first(h: IncomingHttpHeaders, a: string, b?: string): string | undefined {
  const v = h[a] ?? (b === undefined ? undefined : h[b]);
  const s = Array.isArray(v) ? v[0] : v;
  return s?.trim() || undefined;
}

function checkDecision(h: IncomingHttpHeaders, op: string | null, u: string | null): void {
  const d = decideCache(h, op, u, cfg);
  assert.ok(Number.isInteger(d.ttlMs) && d.ttlMs >= cfg.minTtlMs && d.ttlMs <= cfg.maxTtlMs, `ttl ${d.ttlMs}`);
  const ttl = first(h, 'x-tollgate-cache-ttl', 'cf-aig-cache-ttl');
  if (ttl !== undefined && /^\d{1,10}$/.test(ttl)) assert.equal(d.ttlMs, Math.min(cfg.maxTtlMs, Math.max(cfg.minTtlMs, Number(ttl) * 1000)));
  assert.ok(['global', 'tenant', 'user'].includes(d.scope));
  if (d.customKey !== undefined) {
    assert.ok(d.customKey.length >= 1 && d.customKey.length <= 1024, 'custom key length');
    assert.equal(d.customKey, d.customKey.trim(), 'custom key is trimmed');
    assert.equal(d.customKey, first(h, 'x-tollgate-cache-key', 'cf-aig-cache-key'));
  }
  if (d.scope === 'user' && u === null) assert.notEqual(d.bypass, undefined, 'user scope without a user is never cached');
  assert.equal(decideCache(h, op, u, off).bypass, 'disabled');
}

describe('cache control properties', () => {
  test('any headers: bounded TTL, known scope, sane key, user scope needs a user', () => {
    fc.assert(fc.property(headers, operation, user, (h, op, u) => checkDecision(h as IncomingHttpHeaders, op, u)), fuzzParams(800));
  });
});

describe('cache control seed corpus', () => {
  for (const e of loadCorpus<{ name: string; headers: Record<string, string | string[]>; operation?: string | null; user?: string | null; customKey?: string | null }>('cache-controls')) {
    test(e.name, () => {
      checkDecision(e.headers, e.operation ?? null, e.user ?? null);
      if (e.customKey !== undefined) assert.equal(decideCache(e.headers, e.operation ?? null, e.user ?? null, cfg).customKey, e.customKey ?? undefined);
    });
  }
});
