// Tests for every adapter's probeRequest (the active health probe's request): a GET with no
// body to the provider's free model-list endpoint, authenticated exactly like a real call with
// the configured credentials and extra headers, and pure (the same settings give the same
// request). A registry-wide check also fails when a new adapter forgets to define one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ADAPTERS, adapterFor } from './registry.js';
import type { BaseProviderSettings } from './types.js';

const cases: Array<{ settings: BaseProviderSettings & Record<string, unknown>; url: string; auth: [string, string] }> = [
  { settings: { type: 'openai', apiKey: 'sk-1', baseUrl: 'https://api.example/v1' }, url: 'https://api.example/v1/models', auth: ['authorization', 'Bearer sk-1'] },
  { settings: { type: 'openai-compatible', apiKey: 'k', baseUrl: 'http://vllm.local:8000/v1/' }, url: 'http://vllm.local:8000/v1/models', auth: ['authorization', 'Bearer k'] },
  { settings: { type: 'openrouter', apiKey: 'or-1' }, url: 'https://openrouter.ai/api/v1/models', auth: ['authorization', 'Bearer or-1'] },
  { settings: { type: 'azure-openai', apiKey: 'az', baseUrl: 'https://res.openai.azure.com', apiVersion: '2025-01-01-preview' }, url: 'https://res.openai.azure.com/openai/models?api-version=2025-01-01-preview', auth: ['api-key', 'az'] },
  { settings: { type: 'anthropic', apiKey: 'sk-ant', baseUrl: 'https://anthropic.example' }, url: 'https://anthropic.example/v1/models?limit=1', auth: ['x-api-key', 'sk-ant'] },
  { settings: { type: 'workers-ai', accountId: 'acct', apiToken: 'cf' } as BaseProviderSettings & Record<string, unknown>, url: 'https://api.cloudflare.com/client/v4/accounts/acct/ai/models/search?per_page=1', auth: ['authorization', 'Bearer cf'] },
];

test('every registered adapter has a probe case here', () => {
  assert.deepEqual(ADAPTERS.map((a) => a.type).sort(), cases.map((c) => c.settings.type).sort());
});

for (const c of cases) {
  test(`${c.settings.type}: GET of the model list, authenticated, no body, pure`, () => {
    const adapter = adapterFor(c.settings.type)!;
    const settings = adapter.settingsSchema.parse({ ...c.settings, headers: { 'x-extra': 'e' } });
    const wire = adapter.probeRequest(settings);
    assert.equal(wire.method, 'GET');
    assert.equal(wire.url, c.url);
    assert.equal(wire.body, undefined);
    assert.equal(wire.headers[c.auth[0]], c.auth[1]);
    assert.equal(wire.headers['x-extra'], 'e', 'configured extra headers travel too');
    assert.deepEqual(adapter.probeRequest(settings), wire);
  });
}

test('probe settings parse durations with defaults; unknown keys are refused', () => {
  const adapter = adapterFor('openai')!;
  const on = adapter.settingsSchema.parse({ type: 'openai', probe: { interval: '10s' } });
  assert.deepEqual(on.probe, { interval: 10_000, timeout: 5_000 });
  assert.equal(adapter.settingsSchema.parse({ type: 'openai' }).probe, undefined, 'off by default');
  assert.equal(adapter.settingsSchema.safeParse({ type: 'openai', probe: { interval: '10ms' } }).success, false, 'at least 1 s');
  assert.equal(adapter.settingsSchema.safeParse({ type: 'openai', probe: { every: '10s' } }).success, false);
});
