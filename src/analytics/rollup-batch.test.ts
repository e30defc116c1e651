// Grouping of a batch into rollup rows: one row per hour × provider × model × tenant × operation,
// absent values grouped with empty ones, and names that would run together when joined (commas,
// quotes) kept apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../test/fuzz-corpus/corpus.js';
import { rollupBatch, type RollupSource } from './rollup-batch.js';
import { HOUR_MS } from './rollup-schema.js';

const at = 1_800_000_000_000;
function ev(over: Partial<RollupSource>): RollupSource {
  return { time: at, provider: 'openai', model: 'gpt-4o', tenant: 'acme', operation: null, status: 200, tokensIn: 10, tokensOut: 5, cacheStatus: 'MISS', costMicros: 7, savedMicros: 0, latencyMs: 12, ...over };
}

test('one row per key; absent and empty values share a row; joined-alike names do not', () => {
  const rows = rollupBatch([
    ev({}), ev({ time: at + 1 }), ev({ operation: '' }),
    ev({ time: at + HOUR_MS }),
    ev({ model: 'a,"b"', tenant: 'c' }), ev({ model: 'a', tenant: '"b",c' }),
    ev({ provider: null, status: 503, costMicros: null, cacheStatus: 'HIT' }), ev({ provider: '' }),
  ]);
  const keyOf = (r: (typeof rows)[number]) => [r.hour, r.provider, r.model, r.tenant, r.operation].join('|');
  assert.equal(rows.length, 5);
  assert.equal(new Set(rows.map(keyOf)).size, 5, 'no key twice');
  const first = rows[0];
  assert.deepEqual([first.requests, first.tokens_in, first.cost_micros, first.operation], [3, 30, 21, '']);
  const noProvider = rows.find((r) => r.provider === '')!;
  assert.deepEqual([noProvider.requests, noProvider.errors, noProvider.unpriced, noProvider.cache_hits, noProvider.cost_micros], [2, 1, 1, 1, 7]);
  assert.equal([...noProvider.latency.values()].reduce((a, b) => a + b, 0), 2);
});

test('runs of one key and interleaved keys total the same as grouping every event on its own', () => {
  const label = fc.constantFrom(null, '', 'a', 'b', 'a,b', '"a"');
  const event = fc.record({
    time: fc.constantFrom(at, at + 1, at + HOUR_MS - 1, at + HOUR_MS), provider: label, model: label, tenant: label, operation: label,
    status: fc.constantFrom(200, 429, 503), tokensIn: fc.nat(1000), tokensOut: fc.nat(1000), cacheStatus: fc.constantFrom('HIT', 'MISS', null),
    costMicros: fc.option(fc.nat(10_000), { nil: null }), savedMicros: fc.nat(100), latencyMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
  }) as fc.Arbitrary<RollupSource>;
  // Long runs of one event as well as mixtures, so both the same-key shortcut and the lookup run.
  const batch = fc.array(fc.tuple(event, fc.integer({ min: 1, max: 4 })), { maxLength: 30 }).map((runs) => runs.flatMap(([e, n]) => Array<RollupSource>(n).fill(e)));
  fc.assert(fc.property(batch, (events) => {
    const expected = new Map<string, { requests: number; tokens: number; cost: number; latency: number }>();
    for (const e of events) {
      const key = JSON.stringify([Math.floor(e.time / HOUR_MS), e.provider ?? '', e.model ?? '', e.tenant ?? '', e.operation ?? '']);
      const t = expected.get(key) ?? { requests: 0, tokens: 0, cost: 0, latency: 0 };
      t.requests++;
      t.tokens += e.tokensIn + e.tokensOut;
      t.cost += e.costMicros ?? 0;
      expected.set(key, t);
    }
    const rows = rollupBatch(events);
    assert.equal(rows.length, expected.size);
    for (const r of rows) {
      const t = expected.get(JSON.stringify([r.hour / HOUR_MS, r.provider, r.model, r.tenant, r.operation]));
      assert.ok(t, 'a row for a key that exists');
      assert.deepEqual([r.requests, r.tokens_in + r.tokens_out, r.cost_micros], [t.requests, t.tokens, t.cost]);
      assert.equal([...r.latency.values()].reduce((a, b) => a + b, 0), r.requests);
    }
  }), fuzzParams(300));
});
