/**
 * The benchmark's gateway targets (bench/services.ts) differ from gateway-bare only in what
 * their rows measure, or the comparisons in the report would charge one feature for another's
 * cost. Each generated config is loaded with the real config loader and its feature switches
 * are checked against what docs/benchmark.md says each target is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gatewayConfig } from '../bench/services.js';
import { GATEWAY_TARGETS, type TargetId } from '../bench/scenarios.js';
import { loadConfig } from '../src/config/load.js';

interface Switches { metrics: boolean; tracing: boolean; cache: boolean; requestLines: boolean; store: boolean; keys: boolean }

const EXPECTED: Record<string, Switches> = {
  gateway: { metrics: true, tracing: false, cache: false, requestLines: true, store: true, keys: false },
  'gateway-bare': { metrics: false, tracing: false, cache: false, requestLines: false, store: false, keys: false },
  'gateway-cache': { metrics: false, tracing: false, cache: true, requestLines: false, store: false, keys: false },
  'gateway-obs': { metrics: true, tracing: true, cache: false, requestLines: false, store: false, keys: false },
  'gateway-guards': { metrics: false, tracing: false, cache: false, requestLines: false, store: false, keys: true },
  'gateway-guards-redis': { metrics: false, tracing: false, cache: false, requestLines: false, store: false, keys: true },
  'gateway-full': { metrics: true, tracing: true, cache: true, requestLines: true, store: true, keys: true },
};

test('every benchmark gateway target loads, and turns on exactly the features its rows measure', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-bench-config-'));
  assert.deepEqual([...GATEWAY_TARGETS].sort(), Object.keys(EXPECTED).sort(), 'a new target needs its expected switches here');
  for (const target of GATEWAY_TARGETS) {
    const file = join(dir, `${target}.yaml`);
    writeFileSync(file, gatewayConfig(target as TargetId, 'http://127.0.0.1:9', join(dir, target), 'http://127.0.0.1:9'));
    const cfg = loadConfig(file, { REDIS_URL: 'redis://127.0.0.1:6379' }).source;
    const actual: Switches = {
      metrics: cfg.metrics.enabled,
      tracing: cfg.tracing.enabled,
      cache: cfg.cache.enabled,
      requestLines: cfg.logging.requests,
      store: !cfg.storage.startsWith('none://'),
      keys: (cfg.keys ?? []).length > 0,
    };
    assert.deepEqual(actual, EXPECTED[target], target);
  }
});
