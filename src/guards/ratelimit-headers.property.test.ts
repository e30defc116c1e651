// Property tests (B12) for the RateLimit / RateLimit-Policy formatter: for any policies (names
// from unrestricted config keys — quotes, backslashes, control and non-ASCII characters), limits
// up to 2^53, counts, reset and retry times, both fields are structured-field lists in the IETF
// draft's shape that Node accepts as header values; RateLimit names one of the policies, its `r`
// is never negative and is the smallest remaining count; `t` is a non-negative integer; and
// Retry-After is a whole number of seconds, at least 1. Seeded, bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { validateHeaderValue } from 'node:http';
import fc from 'fast-check';
import { fuzzParams, loadCorpus } from '../../test/fuzz-corpus/corpus.js';
import type { HitResult } from './guard-store.js';
import type { PlannedCheck } from './rate-checks.js';
import { rateHeaders, retryAfterSeconds } from './ratelimit-headers.js';

// RFC 8941 pieces, written out independently of the formatter.
const SF_STRING = String.raw`"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\["\\])*"`;
const SF_PARAM = String.raw`;[a-z*][a-z0-9_.*-]*=-?\d{1,15}`;
const ITEM = new RegExp(`^(${SF_STRING})((?:${SF_PARAM})*)$`);

interface Item { name: string; params: Map<string, number> }

/** Splits an sf-list of string items with integer parameters; throws when the syntax is wrong. */
function parseList(value: string): Item[] {
  const items = value.match(new RegExp(`${SF_STRING}(?:${SF_PARAM})*`, 'g')) ?? [];
  assert.equal(items.join(', '), value, `not an sf-list: ${value}`);
  return items.map((raw) => {
    const m = ITEM.exec(raw)!;
    const name = m[1].slice(1, -1).replace(/\\(["\\])/g, '$1');
    const params = new Map<string, number>();
    for (const p of m[2].split(';').slice(1)) {
      const [k, v] = p.split('=');
      assert.ok(!params.has(k), `duplicate parameter ${k}`);
      params.set(k, Number(v));
    }
    return { name, params };
  });
}

const policyName = fc.oneof(
  fc.constantFrom('default', 'key', 'tenant', 'chat').chain((p) => fc.constantFrom('1s', '1m', '1h', '1d').map((s) => `${p}-${s}`)),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('a"b', 'back\\slash', 'new\nline', 'café', '€uro', '\ud800'),
);
const window = fc.constantFrom(1_000, 60_000, 3_600_000, 86_400_000);
const scenario = fc.array(fc.record({ policy: policyName, windowMs: window, limit: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER })), count: fc.integer({ min: 0, max: 120 }), resetMs: fc.integer({ min: -5_000, max: 86_400_000 }) }), { minLength: 1, maxLength: 5 })
  .chain((cs) => fc.record({ cs: fc.constant(cs), allowed: fc.boolean(), retryAfterMs: fc.integer({ min: 0, max: 86_400_000 }) }));

function check(cs: Array<{ policy: string; windowMs: number; limit: number; count: number; resetMs: number }>, allowed: boolean, retryAfterMs: number): void {
  const checks: PlannedCheck[] = cs.map((c, i) => ({ key: `k${i}`, windowMs: c.windowMs, limit: c.limit, policy: c.policy }));
  const hit: HitResult = { allowed, counts: cs.map((c) => c.count), resetMs: cs.map((c) => c.resetMs), retryAfterMs };
  const h = rateHeaders(checks, cs.map((c) => c.limit), hit);
  assert.ok(h);
  validateHeaderValue('ratelimit', h.ratelimit);
  validateHeaderValue('ratelimit-policy', h.policy);
  const policies = parseList(h.policy);
  assert.equal(policies.length, cs.length);
  for (const p of policies) {
    assert.deepEqual([...p.params.keys()], ['q', 'w']);
    assert.ok(p.params.get('q')! >= 1 && p.params.get('w')! >= 1);
  }
  const [rl, ...rest] = parseList(h.ratelimit);
  assert.equal(rest.length, 0);
  assert.deepEqual([...rl.params.keys()], ['r', 't']);
  const r = rl.params.get('r')!;
  const expected = Math.min(...cs.map((c) => Math.max(0, c.limit - c.count - (allowed ? 1 : 0))));
  assert.ok(r >= 0, 'r is never negative');
  assert.equal(r, Math.min(expected, 999_999_999_999_999));
  assert.ok(Number.isInteger(rl.params.get('t')) && rl.params.get('t')! >= 0);
  const named = policies.findIndex((p) => p.name === rl.name);
  assert.ok(named >= 0, 'RateLimit names one of the policies');
  if (cs.every((c) => /^[\x20-\x7e]*$/.test(c.policy))) assert.deepEqual(policies.map((p) => p.name), cs.map((c) => c.policy), 'printable names kept');
}

describe('RateLimit header properties', () => {
  test('both fields are valid sf-lists; r is the smallest remaining and never negative', () => {
    fc.assert(fc.property(scenario, ({ cs, allowed, retryAfterMs }) => check(cs, allowed, retryAfterMs)), fuzzParams(500));
  });

  test('Retry-After is a whole number of seconds, at least 1, never early', () => {
    fc.assert(fc.property(fc.integer({ min: -1e12, max: 1e12 }), fc.double({ min: 0, max: 1, noNaN: true }), (ms, frac) => {
      const s = retryAfterSeconds(ms + frac);
      assert.ok(Number.isInteger(s) && s >= 1);
      assert.ok(s * 1000 >= ms + frac, 'never tells the client to come back before the window frees');
      assert.ok(s === 1 || (s - 1) * 1000 < ms + frac, 'not later than needed');
    }), fuzzParams(300));
  });
});

interface RateCorpusEntry { name: string; allowed: boolean; retryAfterMs: number; checks: Array<{ policy: string; windowMs: number; limit: number; count: number; resetMs: number }> }

describe('RateLimit header seed corpus', () => {
  for (const e of loadCorpus<RateCorpusEntry>('ratelimit-headers')) {
    test(e.name, () => check(e.checks, e.allowed, e.retryAfterMs));
  }
});
