import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MEMORY_LAYER_DEFAULTS, cacheConfigSchema, compileCacheConfig } from './cache-config.js';

const compiled = (raw: Record<string, unknown>) => compileCacheConfig(cacheConfigSchema.parse(raw), {});

test('the in-process layer is small in front of a shared layer and larger when it is the only one', () => {
  assert.equal(MEMORY_LAYER_DEFAULTS.withSharedLayer, 8 * 1024 * 1024);
  assert.equal(MEMORY_LAYER_DEFAULTS.alone, 32 * 1024 * 1024);
  for (const shared of [undefined, 'auto', 'sqlite', 'redis']) {
    assert.equal(compiled(shared === undefined ? {} : { shared }).memoryMaxBytes, MEMORY_LAYER_DEFAULTS.withSharedLayer, String(shared));
  }
  assert.equal(compiled({ shared: 'none' }).memoryMaxBytes, MEMORY_LAYER_DEFAULTS.alone);
});

test('an explicit bound wins over either default, and a bound under 1 KiB is refused', () => {
  assert.equal(compiled({ memoryMaxBytes: 65_536 }).memoryMaxBytes, 65_536);
  assert.equal(compiled({ memoryMaxBytes: 65_536, shared: 'none' }).memoryMaxBytes, 65_536);
  assert.throws(() => cacheConfigSchema.parse({ memoryMaxBytes: 512 }));
});
