// Grouping of a batch into rollup rows: one row per hour × provider × model × tenant × operation,
// absent values grouped with empty ones, and names that would run together when joined (commas,
// quotes) kept apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
