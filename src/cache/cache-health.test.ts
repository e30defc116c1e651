import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { loadConfigDocument } from '../config/load.js';
import { TcpFaultProxy } from '../stores/testing/tcp-fault-proxy.js';
import { RedisConnection } from '../stores/redis/redis-connection.js';
import { redisTestPrefix, redisTestUrl } from '../stores/redis/redis-test-url.js';
import { cacheHealth } from './cache-health.js';
import { openCacheRuntime } from './cache-runtime.js';

const cacheConfig = (cache: Record<string, unknown>) => loadConfigDocument({ storage: 'none://', cache }, {}).cache;
const closers: Array<() => Promise<void>> = [];
after(async () => { for (const c of closers) await c(); });

test('off: not_configured; on without a shared layer: healthy with its counters', () => {
  const cfg = cacheConfig({ enabled: true, shared: 'none' });
  const rt = openCacheRuntime(cfg, undefined);
  assert.deepEqual(cacheHealth(false, rt, undefined), { status: 'not_configured' });
  const h = cacheHealth(true, rt, undefined);
  assert.equal(h.status, 'healthy');
  assert.equal(h.shared, 'none');
  assert.equal(h.entries, 0);
});

test('Redis shared layer down: degraded; back: healthy', async () => {
  const target = new URL(redisTestUrl());
  const proxy = await TcpFaultProxy.start(target.hostname, Number(target.port || 6379));
  const redis = new RedisConnection(`redis://127.0.0.1:${proxy.port}`, { maxReconnectDelayMs: 100 });
  closers.push(() => redis.close(), () => proxy.close());
  const rt = openCacheRuntime(cacheConfig({ enabled: true, shared: 'redis', redisPrefix: redisTestPrefix('cache-health') }), redis);
  const waitFor = async (status: string): Promise<void> => {
    const end = Date.now() + 5_000;
    while (cacheHealth(true, rt, redis).status !== status) {
      if (Date.now() > end) throw new Error(`cache health never became ${status}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await waitFor('healthy');
  proxy.setMode('refuse');
  await waitFor('degraded');
  proxy.setMode('forward');
  await waitFor('healthy');
});
