import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCataloguePricer } from './catalogue-pricer.js';
import { loadPriceCatalogue } from './price-catalogue.js';

test('quotes known models and reports unknown ones', () => {
  const unknown: string[] = [];
  const pricer = createCataloguePricer(loadPriceCatalogue(), { onUnknownPrice: (type, model) => unknown.push(`${type}/${model}`) });
  const when = Date.parse('2026-01-01T00:00:00Z');
  assert.deepEqual(pricer.quote('openai', 'openai', 'gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 0 }, when), { costMicros: 150_000, neurons: null });
  assert.deepEqual(pricer.quote('workers-ai', 'cf', '@cf/openai/gpt-oss-120b', { inputTokens: 1000, outputTokens: 500 }, when), { costMicros: 725, neurons: 65.909 });
  assert.deepEqual(pricer.quote('openai-compatible', 'local', 'llama3', { inputTokens: 1, outputTokens: 1 }, when), { costMicros: null, neurons: null });
  assert.deepEqual(unknown, ['openai-compatible/llama3']);
});
