/**
 * The cache store contract against a real Redis (REDIS_URL), each test under its own key
 * prefix; plus the failure policy: with Redis unreachable (a fault proxy refusing or
 * black-holing) every call fails fast, and the layered cache turns that into misses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCacheStoreContract } from './cache-store.contract.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { LayeredCache } from './layered-cache.js';
import { RedisConnection } from '../stores/redis/redis-connection.js';
import { redisTestPrefix, redisTestUrl } from '../stores/redis/redis-test-url.js';
import { TcpFaultProxy } from '../stores/testing/tcp-fault-proxy.js';

async function ready(conn: RedisConnection): Promise<void> {
  for (let i = 0; i < 200 && !conn.ready; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(conn.ready, 'Redis is reachable');
}

describe('RedisCacheStore (contract, real Redis)', () => {
  let conn: RedisConnection;
  before(async () => { conn = new RedisConnection(redisTestUrl()); await ready(conn); });
  after(async () => { await conn.close(); });
  let n = 0;
  runCacheStoreContract(async () => ({
    store: new RedisCacheStore(conn, redisTestPrefix(`cache-contract-${++n}`)),
    advance: (ms) => new Promise((r) => setTimeout(r, ms)),
  }));
});

describe('Redis cache layer down → misses, never errors', () => {
  test('refused and black-holed connections read as misses and writes are swallowed (counted)', async () => {
    const url = new URL(redisTestUrl());
    const proxy = await TcpFaultProxy.start(url.hostname, Number(url.port || 6379));
    const conn = new RedisConnection(`redis://127.0.0.1:${proxy.port}`, { commandTimeoutMs: 200 });
    try {
      await ready(conn);
      const cache = new LayeredCache(1024 * 1024, new RedisCacheStore(conn, redisTestPrefix('cache-down')), 'redis');
      const entry = { v: 1 as const, kind: 'json' as const, body: '{}', usage: null, provider: 'p', model: 'm', costMicros: 5, createdAt: Date.now(), expiresAt: Date.now() + 60_000 };
      for (const mode of ['refuse', 'blackhole'] as const) {
        proxy.setMode(mode);
        assert.equal(await cache.lookup(`t1:missing-${mode}`), undefined);
        cache.store(`t1:${mode}`, entry);
        await new Promise((r) => setTimeout(r, 400));
      }
      const stats = cache.stats();
      assert.ok(stats.readErrors >= 2, 'read failures are counted');
      assert.ok(stats.writeErrors >= 2, 'write failures are counted');
      // The in-process layer still answers what this process stored.
      assert.ok(await cache.lookup('t1:refuse'));
    } finally {
      await conn.close();
      await proxy.close();
    }
  });
});
