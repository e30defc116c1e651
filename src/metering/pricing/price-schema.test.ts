import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dateToEpochMs, priceFileSchema, pricingOverridesSchema } from './price-schema.js';

const file = (entries: unknown[], extra: Record<string, unknown> = {}) => ({ checked: '2026-11-23', entries, ...extra });
const entry = (e: Record<string, unknown>) => ({ provider: 'openai', model: 'm', effectiveFrom: '2025-01-01', ...e });

test('valid entries parse, with kind defaulting to chat', () => {
  const parsed = priceFileSchema.parse(file([entry({ input: 0.15, output: 0.6, cachedInput: 0.075 })]));
  assert.equal(parsed.entries[0].kind, 'chat');
  assert.ok(priceFileSchema.safeParse(file([entry({ kind: 'embedding', input: 0.02 })])).success);
  assert.ok(priceFileSchema.safeParse(file([entry({ neurons: { input: 100, output: 200 } })])).success);
});

test('bad entries are rejected with the offending field', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ input: 1 }, 'output'],
    [{ output: 1 }, 'input'],
    [{ input: 1, output: 1, neurons: { input: 1, output: 1 } }, 'neurons'],
    [{ input: 1, output: 1, cachedInput: 0.5, cacheRead: 0.5 }, 'cacheRead'],
    [{ input: 0.0000001, output: 1 }, 'input'],
    [{ input: -1, output: 1 }, 'input'],
    [{ input: 1, output: 1, effectiveFrom: '2025-02-30' }, 'effectiveFrom'],
    [{ input: 1, output: 1, effectiveFrom: '2025-1-1' }, 'effectiveFrom'],
    [{ input: 1, output: 1, surprise: true }, ''],
  ];
  for (const [e, field] of cases) {
    const r = priceFileSchema.safeParse(file([entry(e)]));
    assert.equal(r.success, false, JSON.stringify(e));
    if (field) assert.ok(r.error?.issues.some((i) => i.path.includes(field)), `${JSON.stringify(e)} → ${field}`);
  }
  assert.equal(priceFileSchema.safeParse({ entries: [] }).success, false, 'checked date is required');
});

test('overrides coerce interpolated strings and check keys', () => {
  const parsed = pricingOverridesSchema.parse({ 'openai/gpt-4o': { input: '2.5', output: 10, effectiveFrom: '2026-01-01' } });
  assert.equal(parsed['openai/gpt-4o'].input, 2.5);
  assert.deepEqual(pricingOverridesSchema.parse(undefined), {});
  const missing = pricingOverridesSchema.safeParse({ 'openai/gpt-4o': { input: 1 } });
  assert.match(missing.error?.issues[0].message ?? '', /USD per 1M tokens/);
  assert.ok(pricingOverridesSchema.safeParse({ 'workers-ai/@cf/meta/llama-3.1-8b-instruct': { input: 0, output: 0 } }).success);
  for (const bad of [
    { 'gpt-4o': { input: 1, output: 1 } },
    { '/gpt-4o': { input: 1, output: 1 } },
    { 'openai/gpt-4o': { input: 1 } },
    { 'openai/gpt-4o': { input: -1, output: 1 } },
    { 'openai/gpt-4o': { input: 'abc', output: 1 } },
    { 'openai/gpt-4o': { input: 1, output: 1, cachedInput: 1, cacheRead: 1 } },
    { 'openai/gpt-4o': { input: 1, output: 1, extra: 1 } },
  ]) {
    assert.equal(pricingOverridesSchema.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('dates are read as UTC midnight', () => {
  assert.equal(dateToEpochMs('2025-06-10'), Date.UTC(2025, 5, 10));
});
