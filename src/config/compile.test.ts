// Unit tests for compiling a validated config into the runtime form: the result and everything
// reachable from it as plain objects (source, server, provider settings, routes' targets, the
// model list) is deeply frozen; each compile gets the next generation number; providers are
// resolved to their registered adapters; route aliases resolve to their targets with weight 1
// by default and their params; the model list holds each provider's adapter defaults (or its
// configured `models` instead), then the route aliases, without duplicates; and the derived
// fields (bodyLimitBytes, authMode, timeouts, logging) match the source.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileConfig, type RuntimeConfig } from './compile.js';
import { validateConfig } from './load.js';
import { openaiAdapter } from '../providers/openai/index.js';
import { adapterFor } from '../providers/registry.js';

function compile(doc: unknown): RuntimeConfig {
  return compileConfig(validateConfig(doc));
}

const doc = {
  server: { bodyLimitMb: 1.5 },
  auth: { mode: 'passthrough' },
  providers: {
    openai: { type: 'openai', apiKey: 'sk-1', headers: { 'x-extra': '1' } },
    anthropic: { type: 'anthropic', apiKey: 'sk-ant-1' },
    local: { type: 'openai', baseUrl: 'http://127.0.0.1:8000/v1', models: ['llama-3', 'qwen-2'] },
  },
  routes: {
    smart: {
      strategy: 'fallback',
      targets: [{ provider: 'openai', model: 'gpt-4o', params: { max_tokens: 64 } }, { provider: 'anthropic', model: 'claude-sonnet-4-5', weight: 2 }],
    },
    cheap: { targets: [{ provider: 'local', model: 'llama-3' }] },
  },
  resilience: { timeouts: { idleMs: 1234 } },
  logging: { level: 'debug' },
};

function assertDeepFrozen(value: unknown, path: string, seen = new Set<unknown>()): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) assertDeepFrozen(v, `${path}.get(${String(k)})`, seen);
    return;
  }
  assert.ok(Object.isFrozen(value), `${path} is not frozen`);
  for (const [k, v] of Object.entries(value)) {
    // Adapters are shared module code, not config data.
    if (k !== 'adapter') assertDeepFrozen(v, `${path}.${k}`, seen);
  }
}

describe('compileConfig', () => {
  test('the runtime config is deeply frozen', () => {
    const rc = compile(doc);
    assertDeepFrozen(rc, 'rc');
    assert.ok(Object.isFrozen(rc.providers.get('openai')?.settings.headers));
    assert.ok(Object.isFrozen(rc.routes.get('smart')?.targets[0].params));
    assert.throws(() => {
      (rc.modelIds as string[]).push('x');
    }, TypeError);
    assert.throws(() => {
      (rc.server as { port: number }).port = 1;
    }, TypeError);
  });

  test('the validated config passed in is frozen too (it becomes `source`)', () => {
    const cfg = validateConfig(doc);
    const rc = compileConfig(cfg);
    assert.equal(rc.source, cfg);
    assert.ok(Object.isFrozen(cfg.server));
  });

  test('each compile gets the next generation', () => {
    const a = compile({});
    const b = compile({});
    const c = compile(doc);
    assert.equal(b.generation, a.generation + 1);
    assert.equal(c.generation, b.generation + 1);
    assert.ok(a.generation >= 1);
  });

  test('providers resolve to their registered adapters with their settings', () => {
    const rc = compile(doc);
    assert.deepEqual([...rc.providers.keys()], ['openai', 'anthropic', 'local']);
    const openai = rc.providers.get('openai');
    assert.equal(openai?.name, 'openai');
    assert.equal(openai?.adapter, openaiAdapter);
    assert.equal(rc.providers.get('anthropic')?.adapter, adapterFor('anthropic'));
    assert.deepEqual(openai?.settings, { type: 'openai', apiKey: 'sk-1', headers: { 'x-extra': '1' } });
    assert.equal(rc.providers.get('local')?.settings.baseUrl, 'http://127.0.0.1:8000/v1');
  });

  test('routes resolve to targets sharing the runtime provider objects', () => {
    const rc = compile(doc);
    const smart = rc.routes.get('smart');
    assert.equal(smart?.alias, 'smart');
    assert.equal(smart?.strategy, 'fallback');
    assert.equal(smart?.targets.length, 2);
    assert.equal(smart?.targets[0].provider, rc.providers.get('openai'));
    assert.equal(smart?.targets[0].model, 'gpt-4o');
    assert.equal(smart?.targets[0].weight, 1);
    assert.deepEqual(smart?.targets[0].params, { max_tokens: 64 });
    assert.equal(smart?.targets[1].provider, rc.providers.get('anthropic'));
    assert.equal(smart?.targets[1].weight, 2);
    assert.equal(smart?.targets[1].params, undefined);
    assert.equal(rc.routes.get('cheap')?.targets[0].provider.name, 'local');
  });

  test('modelIds: adapter defaults, configured models (instead of defaults), then aliases', () => {
    const rc = compile(doc);
    assert.deepEqual(rc.modelIds, [
      ...openaiAdapter.defaultModels.map((m) => `openai/${m}`),
      ...(adapterFor('anthropic')?.defaultModels ?? []).map((m) => `anthropic/${m}`),
      'local/llama-3',
      'local/qwen-2',
      'smart',
      'cheap',
    ]);
    assert.ok(rc.modelIds.includes('openai/gpt-4o'));
    assert.ok(rc.modelIds.includes('anthropic/claude-sonnet-4-5'));
    assert.equal(rc.modelIds.includes('local/gpt-4o'), false);
  });

  test('modelIds has no duplicates', () => {
    const rc = compile({ providers: { p: { type: 'openai', models: ['m', 'm', 'n'] } } });
    assert.deepEqual(rc.modelIds, ['p/m', 'p/n']);
  });

  test('an empty config compiles to empty maps and lists', () => {
    const rc = compile({});
    assert.equal(rc.providers.size, 0);
    assert.equal(rc.routes.size, 0);
    assert.deepEqual(rc.modelIds, []);
  });

  test('derived fields', () => {
    const rc = compile(doc);
    assert.equal(rc.bodyLimitBytes, 1_572_864);
    assert.equal(compile({}).bodyLimitBytes, 20 * 1024 * 1024);
    assert.equal(compile({ server: { bodyLimitMb: 0.0001 } }).bodyLimitBytes, 104);
    assert.equal(rc.authMode, 'passthrough');
    assert.equal(compile({}).authMode, 'managed');
    assert.deepEqual(rc.timeouts, { connectMs: 5_000, firstByteMs: 30_000, idleMs: 1234, totalMs: 120_000 });
    assert.equal(rc.logging.level, 'debug');
    assert.equal(rc.logging.format, 'json');
    assert.equal(rc.logging.payloads, false);
    assert.equal(rc.server, rc.source.server);
  });

  test('a provider type without a registered adapter is refused', () => {
    // Bypasses validation to simulate a registry/schema mismatch.
    const cfg = validateConfig({});
    const broken = { ...cfg, providers: { x: { type: 'martian' } } } as unknown as Parameters<typeof compileConfig>[0];
    assert.throws(() => compileConfig(broken), { message: 'providers.x.type: no adapter registered for "martian"' });
  });

  test('a route naming an unknown provider is refused', () => {
    const cfg = validateConfig({});
    const broken = { ...cfg, routes: { r: { strategy: 'fallback', targets: [{ provider: 'ghost', model: 'm' }] } } } as unknown as Parameters<typeof compileConfig>[0];
    assert.throws(() => compileConfig(broken), { message: 'routes.r: unknown provider "ghost"' });
  });
});
