// Unit tests for target-selector.ts: fallback keeps config order; open breakers are skipped and
// an all-open route is refused with 'breakers-open' (no last-resort attempt); policy comes first
// and a request no target may serve is refused with 'not-allowed' (never leaked to an untrusted
// provider); weighted picks the first in proportion to weight (seeded, 20,000 draws) and orders
// the rest by weight; latency puts unmeasured targets first, then the fastest; ties keep config
// order; the caller's own target objects come back.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { selectTargets, type RouteStrategy, type SelectableTarget } from './target-selector.js';
import type { RequestAttributes } from './target-condition.js';
import { seededRandom } from './seeded-random.js';

interface Target extends SelectableTarget {
  readonly model: string;
}

const t = (id: string, weight = 1, providerTrusted = false, extra: Partial<Target> = {}): Target => ({ id, weight, providerTrusted, model: id, ...extra });
const publicRequest: RequestAttributes = { tenant: 'acme', operation: null, metadata: null, sensitivity: 'public' };

function ids(
  strategy: RouteStrategy,
  targets: Target[],
  opts: { open?: string[]; latency?: Record<string, number>; random?: () => number; request?: Partial<RequestAttributes> } = {},
): string[] | string {
  const sel = selectTargets({
    strategy,
    targets,
    request: { ...publicRequest, ...opts.request },
    available: (id) => !(opts.open ?? []).includes(id),
    latencyOf: (id) => opts.latency?.[id],
    random: opts.random ?? (() => 0),
  });
  return sel.refusal ?? sel.ordered.map((x) => x.id);
}

const abc = [t('a', 1), t('b', 3), t('c', 2)];

describe('fallback and breakers', () => {
  test('config order, open breakers skipped', () => {
    assert.deepEqual(ids('fallback', abc), ['a', 'b', 'c']);
    assert.deepEqual(ids('fallback', abc, { open: ['a'] }), ['b', 'c']);
  });

  test('every allowed target open: refused, no last resort', () => {
    assert.equal(ids('fallback', abc, { open: ['a', 'b', 'c'] }), 'breakers-open');
    assert.equal(ids('latency', abc, { open: ['a', 'b', 'c'] }), 'breakers-open');
  });

  test('returns the caller\'s own objects', () => {
    const sel = selectTargets({ strategy: 'fallback', targets: abc, request: publicRequest, available: () => true, latencyOf: () => undefined, random: Math.random });
    assert.equal(sel.ordered[0], abc[0]);
    assert.equal(sel.refusal, undefined);
  });
});

describe('policy', () => {
  const mixed = [t('cloud', 1, false), t('local', 1, true), t('acme-only', 1, true, { when: { tenants: ['acme'] } })];

  test('sensitive requests only reach trusted providers', () => {
    assert.deepEqual(ids('fallback', mixed, { request: { sensitivity: 'confidential' } }), ['local', 'acme-only']);
    assert.deepEqual(ids('fallback', mixed, { request: { sensitivity: 'internal', tenant: 'globex' } }), ['local']);
  });

  test('no allowed target: refused, even when breakers are also open', () => {
    const untrusted = [t('cloud', 1, false), t('other', 1, false)];
    assert.equal(ids('fallback', untrusted, { request: { sensitivity: 'internal' } }), 'not-allowed');
    assert.equal(ids('weighted', untrusted, { request: { sensitivity: 'internal' }, open: ['cloud', 'other'] }), 'not-allowed');
  });

  test('conditions narrow the list before ordering', () => {
    assert.deepEqual(ids('fallback', mixed, { request: { tenant: 'globex' } }), ['cloud', 'local']);
  });
});

describe('weighted', () => {
  test('random picks the first by cumulative weight; the rest by weight', () => {
    assert.deepEqual(ids('weighted', abc, { random: () => 0 }), ['a', 'b', 'c']);
    assert.deepEqual(ids('weighted', abc, { random: () => 1 / 6 }), ['b', 'c', 'a'], 'point 1 of 6 lands in b');
    assert.deepEqual(ids('weighted', abc, { random: () => 0.99 }), ['c', 'b', 'a']);
    assert.deepEqual(ids('weighted', abc, { random: () => 7 }), ['c', 'b', 'a'], 'out-of-range random is clamped');
  });

  test('first picks follow the weights', () => {
    const random = seededRandom(99);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) counts[(ids('weighted', abc, { random }) as string[])[0]]++;
    assert.ok(Math.abs(counts.a / 20_000 - 1 / 6) < 0.015, JSON.stringify(counts));
    assert.ok(Math.abs(counts.b / 20_000 - 3 / 6) < 0.015, JSON.stringify(counts));
    assert.ok(Math.abs(counts.c / 20_000 - 2 / 6) < 0.015, JSON.stringify(counts));
  });

  test('equal weights keep config order for fallbacks; open targets never picked', () => {
    assert.deepEqual(ids('weighted', [t('x'), t('y'), t('z')], { random: () => 0.5 }), ['y', 'x', 'z']);
    assert.deepEqual(ids('weighted', abc, { random: () => 0.5, open: ['b'] }), ['c', 'a']);
  });

  test('no positive weight: config order', () => {
    assert.deepEqual(ids('weighted', [t('x', 0), t('y', 0)], { random: () => 0.9 }), ['x', 'y']);
  });
});

describe('latency', () => {
  test('unmeasured first in config order, then fastest first', () => {
    assert.deepEqual(ids('latency', abc, { latency: { a: 300, c: 100 } }), ['b', 'c', 'a']);
    assert.deepEqual(ids('latency', abc, { latency: { a: 300, b: 50, c: 100 } }), ['b', 'c', 'a']);
    assert.deepEqual(ids('latency', abc), ['a', 'b', 'c']);
  });

  test('ties keep config order; open breakers skipped', () => {
    assert.deepEqual(ids('latency', abc, { latency: { a: 100, b: 100, c: 100 } }), ['a', 'b', 'c']);
    assert.deepEqual(ids('latency', abc, { latency: { a: 300, b: 50, c: 100 }, open: ['b'] }), ['c', 'a']);
  });
});
