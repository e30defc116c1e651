import { test } from 'node:test';
import assert from 'node:assert/strict';
import { costOf } from './cost.js';
import { loadPriceCatalogue } from './price-catalogue.js';
import { parseCustomCost } from './custom-cost.js';
import { pricingOverridesSchema } from './price-schema.js';
import type { Price } from './price.js';

const at = (date: string) => Date.parse(`${date}T12:00:00Z`);
const catalogue = loadPriceCatalogue(pricingOverridesSchema.parse({ 'local/llama3': { input: 0, output: 0 } }));

function price(type: string, model: string, date: string, name?: string): Price {
  const p = catalogue.priceFor(type, model, at(date), name);
  assert.ok(p, `${type}/${model}`);
  return p;
}

test('openai: cached input at the cached rate, the rest at the input rate', () => {
  // 600k fresh × $0.15 + 400k cached × $0.075 + 200k out × $0.60 per 1M = $0.09 + $0.03 + $0.12.
  const r = costOf(price('openai', 'gpt-4o-mini', '2025-01-01'), { inputTokens: 1_000_000, cachedInputTokens: 400_000, outputTokens: 200_000 });
  assert.deepEqual(r, { costMicros: 240_000, savedMicros: 0 });
});

test('anthropic: fresh input, cache reads and cache writes each at their own rate', () => {
  // Gateway usage counts cache reads and writes inside inputTokens: 1000 fresh + 20000 read + 5000 written.
  // 1000 × $3 + 20000 × $0.30 + 5000 × $3.75 + 500 × $15 per 1M = $0.003 + $0.006 + $0.01875 + $0.0075.
  const r = costOf(price('anthropic', 'claude-sonnet-4-5-20250929', '2025-10-10'), {
    inputTokens: 26_000, cachedInputTokens: 20_000, cacheWriteTokens: 5_000, outputTokens: 500,
  });
  assert.equal(r.costMicros, 35_250);
});

test('workers-ai: billed through neurons, converted to USD once', () => {
  // 1000 × 31818 + 500 × 68182 = 65,909,000 neuron-millionths = 65.909 neurons × $0.011/1000 = $0.000724999.
  const r = costOf(price('workers-ai', '@cf/openai/gpt-oss-120b', '2026-01-01'), { inputTokens: 1000, outputTokens: 500 });
  assert.equal(r.neurons, 65.909);
  assert.equal(r.costMicros, 725);
  const cached = costOf(price('workers-ai', '@cf/zai-org/glm-5.3-flash', '2026-09-01'), { inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 });
  assert.equal(cached.neurons, 2727);
  assert.equal(cached.costMicros, 29_997);
  const embedding = costOf(price('workers-ai', '@cf/baai/bge-m3', '2026-01-01'), { inputTokens: 1_000_000, outputTokens: 0 });
  assert.equal(embedding.costMicros, 11_825);
});

test('azure-openai, openrouter and embeddings price like their catalogue rows', () => {
  assert.equal(costOf(price('azure-openai', 'gpt-4o-2024-08-06', '2025-01-01'), { inputTokens: 2000, outputTokens: 1000 }).costMicros, 15_000);
  assert.equal(costOf(price('openrouter', 'anthropic/claude-sonnet-4.5', '2026-01-01'), { inputTokens: 10_000, outputTokens: 1000 }).costMicros, 45_000);
  assert.equal(costOf(price('openai', 'text-embedding-3-small', '2026-01-01'), { inputTokens: 123_456, outputTokens: 0 }).costMicros, 2469);
});

test('openai-compatible: unknown without an override, zero (not null) with one', () => {
  const unknown = catalogue.priceFor('openai-compatible', 'llama3', at('2026-01-01'), 'other');
  assert.deepEqual(costOf(unknown, { inputTokens: 10, outputTokens: 10 }), { costMicros: null, savedMicros: 0 });
  assert.equal(costOf(price('openai-compatible', 'llama3', '2026-01-01', 'local'), { inputTokens: 10, outputTokens: 10 }).costMicros, 0);
});

test('rounding: exact sum, one half-up rounding per request', () => {
  const p = price('openai', 'gpt-4o-mini', '2025-01-01');
  assert.equal(costOf(p, { inputTokens: 1, outputTokens: 0 }).costMicros, 0, '0.15 micro rounds to 0');
  assert.equal(costOf(p, { inputTokens: 10, outputTokens: 0 }).costMicros, 2, '1.5 rounds up');
  assert.equal(costOf(p, { inputTokens: 3, outputTokens: 1 }).costMicros, 1, '0.45 + 0.6 = 1.05, not 0 + 1');
  const big = costOf(price('openai', 'gpt-5.5', '2026-06-01'), { inputTokens: 3_000_000_000, outputTokens: 1_000_000_000 });
  assert.equal(big.costMicros, 45_000_000_000, 'beyond 2^53 intermediate products stay exact');
});

test('inconsistent or junk usage never produces negative or NaN costs', () => {
  const p = price('openai', 'gpt-4o-mini', '2025-01-01');
  assert.equal(costOf(p, { inputTokens: 10, cachedInputTokens: 50, outputTokens: 0 }).costMicros, 4);
  assert.equal(costOf(p, { inputTokens: Number.NaN, outputTokens: -5 }).costMicros, 0);
});

test('cache hits cost 0 and report what they saved', () => {
  const p = price('openai', 'gpt-4o-mini', '2025-01-01');
  assert.deepEqual(costOf(p, { inputTokens: 1_000_000, outputTokens: 0 }, { cacheHit: true }), { costMicros: 0, savedMicros: 150_000 });
  assert.deepEqual(costOf(undefined, { inputTokens: 5, outputTokens: 5 }, { cacheHit: true }), { costMicros: 0, savedMicros: 0 });
});

test('a custom cost overrides the catalogue, even for unknown models', () => {
  const usage = { inputTokens: 1000, cachedInputTokens: 400, outputTokens: 2000 };
  const perToken = parseCustomCost('{"per_token_in":0.000001,"per_token_out":0.000002}');
  assert.equal(costOf(undefined, usage, { custom: perToken }).costMicros, 5000);
  const total = parseCustomCost('{"total_cost":0.05}');
  assert.equal(costOf(price('openai', 'gpt-4o-mini', '2025-01-01'), usage, { custom: total }).costMicros, 50_000);
  assert.deepEqual(costOf(undefined, usage, { custom: total, cacheHit: true }), { costMicros: 0, savedMicros: 50_000 });
});
