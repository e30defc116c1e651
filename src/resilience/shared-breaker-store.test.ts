// Tests for shared-breaker-store.ts against the real Redis (REDIS_URL; fails, never skips, when
// unreachable): the BreakerStore contract through the mirror, one replica seeing another's
// open breaker after a sync (and within the bounded delay when syncing on its own timer), own
// writes visible at once, pruning of stale records, and the Redis-down policy through a TCP
// fault proxy: answers come from the local store (seeded with the last view) without waiting,
// counted as fallbacks and reported degraded, and the shared store is used again once back.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { breakerStoreContract } from './breaker-store-contract.js';
import { RedisBreakerStore } from './redis-breaker-store.js';
import { SharedBreakerStore } from './shared-breaker-store.js';
import { RedisConnection } from '../stores/redis/redis-connection.js';
import { redisTestPrefix, redisTestUrl } from '../stores/redis/redis-test-url.js';
import { TcpFaultProxy } from '../stores/testing/tcp-fault-proxy.js';

const client = new Redis(redisTestUrl(), { maxRetriesPerRequest: 1 });
const ready = { ready: true };
let proxy: TcpFaultProxy;
let proxied: RedisConnection;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

before(async () => {
  const url = new URL(redisTestUrl());
  proxy = await TcpFaultProxy.start(url.hostname, Number(url.port || 6379));
  proxied = new RedisConnection(`redis://127.0.0.1:${proxy.port}`, { maxReconnectDelayMs: 100 });
  for (let i = 0; i < 200 && !proxied.ready; i++) await sleep(10);
  assert.ok(proxied.ready, 'connected to Redis through the proxy');
});
after(async () => {
  client.disconnect();
  await proxied.close();
  await proxy.close();
});

let n = 0;
breakerStoreContract('redis with local mirror', () => new SharedBreakerStore(ready, new RedisBreakerStore(client, redisTestPrefix(`shared-${n++}`))));

const cfg = { failureThreshold: 2, cooldownMs: 60_000 };

test('a breaker opened on replica A is seen by replica B after a sync; own writes at once', async () => {
  const prefix = redisTestPrefix('mirror');
  const a = new SharedBreakerStore(ready, new RedisBreakerStore(client, prefix));
  const b = new SharedBreakerStore(ready, new RedisBreakerStore(client, prefix));
  await b.sync();
  assert.equal(b.pristine('t'), true);
  await a.recordFailure('t', Date.now(), cfg);
  assert.equal(a.pristine('t'), false, 'own write visible without a sync');
  await a.recordFailure('t', Date.now(), cfg);
  assert.equal(b.pristine('t'), true, 'B has not synced yet');
  await b.sync();
  assert.equal(b.pristine('t'), false);
  assert.equal((await b.admit('t', Date.now(), cfg)).admission, 'open');
  await a.admit('t', Date.now() + cfg.cooldownMs, cfg); // A takes the probe...
  await a.recordSuccess('t', Date.now(), cfg); // ...which closes it
  assert.equal(a.pristine('t'), true);
  await b.sync();
  assert.equal(b.pristine('t'), true, 'the closed breaker leaves B\'s view too');
});

test('with its own timer, a replica sees another\'s open breaker within the bounded delay', async () => {
  const prefix = redisTestPrefix('mirror-timer');
  const a = new SharedBreakerStore(ready, new RedisBreakerStore(client, prefix));
  const b = new SharedBreakerStore(ready, new RedisBreakerStore(client, prefix), { syncMs: 100 }).start();
  after(() => b.close());
  await a.recordFailure('t', Date.now(), cfg);
  await a.recordFailure('t', Date.now(), cfg);
  for (let i = 0; i < 100 && b.pristine('t'); i++) await sleep(20);
  assert.equal(b.pristine('t'), false, 'seen within 2 s even on a busy machine');
  assert.ok(b.health().syncedAt !== null);
});

test('records untouched past staleMs are pruned by the sync', async () => {
  let clock = 1_000;
  const store = new SharedBreakerStore(ready, new RedisBreakerStore(client, redisTestPrefix('prune')), { staleMs: 5_000, now: () => clock });
  await store.recordFailure('old', clock, { failureThreshold: 5, cooldownMs: 100 });
  await store.sync();
  assert.equal(store.pristine('old'), false);
  clock += 5_001;
  await store.sync();
  assert.equal(store.pristine('old'), true);
  assert.equal(store.health().tracked, 0);
});

test('Redis unreachable: local answers without waiting, counted, degraded; shared again once back', async () => {
  const prefix = redisTestPrefix('fallback');
  const store = new SharedBreakerStore(proxied, new RedisBreakerStore(proxied.client, prefix), { retryAfterMs: 300 });
  await store.recordFailure('known', Date.now(), cfg);
  await store.recordFailure('known', Date.now(), cfg);
  assert.equal(store.health().status, 'up');
  for (const mode of ['blackhole', 'refuse'] as const) {
    proxy.setMode(mode);
    const t0 = performance.now();
    const r = await store.admit('known', Date.now(), cfg);
    assert.equal(r.admission, 'open', `${mode}: the breaker known open stays open`);
    await store.recordFailure('other', Date.now(), cfg);
    assert.ok(performance.now() - t0 < 1_000, `${mode}: bounded by the op timeout, not Redis' own`);
    assert.equal(store.health().status, 'degraded');
    assert.equal(store.pristine('other'), false, 'the local store keeps counting');
    proxy.setMode('forward');
    for (let i = 0; i < 200 && !proxied.ready; i++) await sleep(10);
    await sleep(350);
    assert.equal(store.health().status, 'up', `${mode}: recovered`);
  }
  assert.ok(store.fallbacks >= 4);
  const before = store.fallbacks;
  await store.recordFailure('after', Date.now(), cfg);
  assert.equal(store.fallbacks, before, 'back on the shared store');
  assert.equal((await new RedisBreakerStore(client, prefix).read('after')).failures, 1);
});
