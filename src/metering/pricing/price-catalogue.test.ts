import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compilePriceCatalogue, loadPriceCatalogue } from './price-catalogue.js';
import { priceFileSchema, pricingOverridesSchema } from './price-schema.js';

const at = (date: string) => Date.parse(`${date}T12:00:00Z`);
const catalogue = loadPriceCatalogue();

test('the entry with the latest effectiveFrom at or before the time wins', () => {
  // o3's mid-year price cut (2025-06-10).
  assert.equal(catalogue.priceFor('openai', 'o3', at('2025-04-15')), undefined, 'before launch');
  assert.equal(catalogue.priceFor('openai', 'o3', at('2025-05-01'))?.inputMicros, 10_000_000);
  assert.equal(catalogue.priceFor('openai', 'o3', at('2025-06-09'))?.outputMicros, 40_000_000);
  assert.equal(catalogue.priceFor('openai', 'o3', Date.parse('2025-06-10T00:00:00Z'))?.inputMicros, 2_000_000);
  assert.equal(catalogue.priceFor('openai', 'o3', at('2026-01-01'))?.outputMicros, 8_000_000);
  // A cache-read-only change (Sonnet 5.5, 2026-10-07).
  assert.equal(catalogue.priceFor('anthropic', 'claude-sonnet-5-5', at('2026-10-01'))?.cacheReadMicros, 200_000);
  assert.equal(catalogue.priceFor('anthropic', 'claude-sonnet-5-5', at('2026-10-08'))?.cacheReadMicros, 100_000);
});

test('dated model ids resolve to their family; explicit snapshots win', () => {
  assert.equal(catalogue.priceFor('anthropic', 'claude-sonnet-4-5-20250929', at('2025-10-10'))?.inputMicros, 3_000_000);
  assert.equal(catalogue.priceFor('anthropic', 'claude-opus-4-5-20251101', at('2026-01-10'))?.inputMicros, 5_000_000);
  assert.equal(catalogue.priceFor('anthropic', 'claude-3-5-haiku-20241022', at('2025-01-10'))?.outputMicros, 4_000_000);
  assert.equal(catalogue.priceFor('openai', 'gpt-4o-2024-08-06', at('2025-01-10'))?.inputMicros, 2_500_000);
  assert.equal(catalogue.priceFor('openai', 'gpt-4o-2024-05-13', at('2025-01-10'))?.inputMicros, 5_000_000);
  assert.equal(catalogue.priceFor('openai', 'gpt-4o-mini-2024-07-18', at('2025-01-10'))?.inputMicros, 150_000);
  assert.equal(catalogue.priceFor('openai', 'GPT-4o-Mini', at('2025-01-10'))?.inputMicros, 150_000);
});

test('unknown models, unknown types and self-hosted servers have no price', () => {
  assert.equal(catalogue.priceFor('openai', 'gpt-4o-audio-preview', at('2026-01-01')), undefined);
  assert.equal(catalogue.priceFor('openai', 'no-such-model', at('2026-01-01')), undefined);
  assert.equal(catalogue.priceFor('anthropic', 'gpt-4o', at('2026-01-01')), undefined);
  assert.equal(catalogue.priceFor('openai-compatible', 'llama3', at('2026-01-01')), undefined);
  assert.equal(catalogue.priceFor('no-such-type', 'gpt-4o', at('2026-01-01')), undefined);
});

test('azure-openai mirrors openai model by model', () => {
  const azure = catalogue.priceFor('azure-openai', 'gpt-4o-2024-08-06', at('2025-01-10'));
  assert.deepEqual(azure, catalogue.priceFor('openai', 'gpt-4o', at('2025-01-10')));
  assert.equal(catalogue.priceFor('azure-openai', 'text-embedding-3-small', at('2025-01-10'))?.inputMicros, 20_000);
});

test('workers-ai prices carry neuron rates and the neuron price', () => {
  const p = catalogue.priceFor('workers-ai', '@cf/openai/gpt-oss-120b', at('2026-01-01'));
  assert.deepEqual(p?.neurons, { input: 31_818, output: 68_182, cacheRead: 31_818, microsPer1000: 11_000 });
  assert.equal(p?.inputMicros, 349_998, 'derived: 31818 neurons × $0.011/1000');
  assert.ok(catalogue.priceFor('openrouter', 'anthropic/claude-sonnet-4.5', at('2026-01-01')));
});

test('a neuron price change is a price change for every neuron-billed model', () => {
  const files = [priceFileSchema.parse({
    checked: '2026-01-01',
    neuronPrices: [
      { provider: 'n', effectiveFrom: '2024-01-01', usdPer1000Neurons: 0.011 },
      { provider: 'n', effectiveFrom: '2026-01-01', usdPer1000Neurons: 0.01 },
    ],
    entries: [
      { provider: 'n', model: 'm', effectiveFrom: '2025-01-01', neurons: { input: 1000, output: 2000 } },
      { provider: 'n', model: 'orphan', effectiveFrom: '2023-01-01', neurons: { input: 1, output: 1 } },
    ],
  })];
  const c = compilePriceCatalogue(files);
  assert.equal(c.priceFor('n', 'm', at('2024-06-01')), undefined);
  assert.equal(c.priceFor('n', 'm', at('2025-06-01'))?.neurons?.microsPer1000, 11_000);
  assert.equal(c.priceFor('n', 'm', at('2026-06-01'))?.neurons?.microsPer1000, 10_000);
  assert.equal(c.priceFor('n', 'orphan', at('2023-06-01')), undefined, 'no neuron price in force yet');
  assert.equal(c.priceFor('n', 'orphan', at('2024-06-01'))?.neurons?.microsPer1000, 11_000);
});

test('two entries for one model on one day are an error', () => {
  const e = { provider: 'p', model: 'M', effectiveFrom: '2025-01-01', input: 1, output: 1 };
  const files = [priceFileSchema.parse({ checked: '2026-01-01', entries: [e, { ...e, model: 'm' }] })];
  assert.throws(() => compilePriceCatalogue(files), /two entries effective 2025-01-01/);
});

test('overrides: by provider name, then by type, then the catalogue', () => {
  const overrides = pricingOverridesSchema.parse({
    'openai/gpt-4o': { input: 1, output: 2 },
    'myoai/gpt-4o-mini': { input: 0.1, output: 0.2, cachedInput: 0.05 },
    'local/llama3': { input: 0, output: 0 },
    'anthropic/claude-sonnet-4-5': { input: 2, output: 10, effectiveFrom: '2026-01-01' },
  });
  const c = loadPriceCatalogue(overrides);
  const when = at('2025-12-01');
  assert.equal(c.priceFor('openai', 'gpt-4o-2024-08-06', when, 'openai')?.inputMicros, 1_000_000);
  assert.equal(c.priceFor('openai', 'gpt-4o', when, 'other-name')?.source, 'override', 'type key applies to any name');
  assert.equal(c.priceFor('openai', 'gpt-4o-mini', when, 'myoai')?.cacheReadMicros, 50_000);
  assert.equal(c.priceFor('openai', 'gpt-4o-mini', when, 'other')?.inputMicros, 150_000);
  assert.equal(c.priceFor('openai-compatible', 'llama3', when, 'local')?.outputMicros, 0);
  assert.equal(c.priceFor('anthropic', 'claude-sonnet-4-5', at('2025-12-31'))?.inputMicros, 3_000_000);
  assert.equal(c.priceFor('anthropic', 'claude-sonnet-4-5', at('2026-01-02'))?.inputMicros, 2_000_000);
  const o = c.priceFor('openai', 'gpt-4o', when, 'openai');
  assert.equal(o?.cacheReadMicros, 1_000_000, 'override without cache rates bills cached tokens at input');
  assert.equal(o?.cacheWriteMicros, 1_000_000);
});
