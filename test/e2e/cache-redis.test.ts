/**
 * The Redis shared cache layer across two gateway processes (two gateways in this process,
 * each with its own fake upstream, sharing one Redis under a test-unique key prefix): what one
 * stores, the other hits without calling its upstream. With Redis unreachable (a fault proxy
 * in front of it) requests still succeed as misses, and nothing is shared meanwhile.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisTestPrefix, redisTestUrl } from '../../src/stores/redis/redis-test-url.js';
import { TcpFaultProxy } from '../../src/stores/testing/tcp-fault-proxy.js';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson, type RawResponse } from './http-client.js';

let direct: Harness;
let proxied: Harness;
let proxy: TcpFaultProxy;
const prefix = redisTestPrefix('cache-e2e');

async function redisReady(h: Harness): Promise<void> {
  for (let i = 0; i < 300 && !h.gateway.services.redis?.ready; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(h.gateway.services.redis?.ready, 'gateway connected to Redis');
}

before(async () => {
  const url = new URL(redisTestUrl());
  proxy = await TcpFaultProxy.start(url.hostname, Number(url.port || 6379));
  const cache = { enabled: true, redisPrefix: prefix };
  direct = await startHarness({ config: () => ({ state: redisTestUrl(), cache }) });
  proxied = await startHarness({ config: () => ({ state: `redis://127.0.0.1:${proxy.port}`, cache }) });
  await redisReady(direct);
  await redisReady(proxied);
});
after(async () => {
  await direct.gateway.services.cache.cache.flush();
  await direct.close();
  await proxied.close();
  await proxy.close();
});

let seq = 0;
const body = (tag: string, stream = false) => ({ model: CHAT_MODELS.openai, messages: [{ role: 'user', content: `${tag} ${process.pid}-${++seq}` }], stream });
const post = (h: Harness, b: unknown): Promise<RawResponse> => postJson(`${h.gateway.url}/v1/chat/completions`, b);
const status = (r: RawResponse) => r.headers['x-tollgate-cache-status'];
const settle = () => new Promise((r) => setTimeout(r, 50)); // the shared write runs in the background

describe('Redis shared layer', () => {
  test('a second gateway hits what the first stored, without calling its upstream', async () => {
    const b = body('shared');
    const first = await post(direct, b);
    await settle();
    const before = proxied.mock.attempts().length;
    const second = await post(proxied, b);
    assert.deepEqual([status(first), status(second)], ['MISS', 'HIT']);
    assert.equal(second.text, first.text);
    assert.equal(proxied.mock.attempts().length, before);
    const stats = proxied.gateway.services.cache.cache.stats();
    assert.equal(stats.shared, 'redis');
    assert.ok(stats.sharedHits >= 1);
  });

  test('a stored stream is replayed byte-identical by the other gateway', async () => {
    const b = body('shared stream', true);
    const first = await post(proxied, b);
    await settle();
    const second = await post(direct, b);
    assert.equal(status(second), 'HIT');
    assert.equal(second.text, first.text);
  });

  test('Redis unreachable: requests are misses, never errors, and recover when it returns', async () => {
    for (const mode of ['refuse', 'blackhole'] as const) {
      const storedByOther = body(`stored before ${mode}`);
      await post(direct, storedByOther);
      await settle();
      proxy.setMode(mode);
      const during = body(`during ${mode}`);
      const r = await post(proxied, storedByOther);
      assert.equal(r.status, 200);
      assert.equal(status(r), 'MISS', 'the shared entry cannot be read: a miss');
      const fresh = await post(proxied, during);
      assert.equal(fresh.status, 200);
      await settle();
      proxy.setMode('forward');
      await redisReady(proxied);
      assert.equal(status(await post(direct, during)), 'MISS', 'the write during the outage was dropped');
    }
    const stats = proxied.gateway.services.cache.cache.stats();
    assert.ok(stats.readErrors > 0 && stats.writeErrors > 0);
  });
});
