/**
 * Circuit breakers shared through Redis across two gateway processes (two gateways in this
 * process, each with its own fake upstream, both with `state: redis://…`; the second reaches
 * Redis through a TCP fault proxy). Failures through gateway A open the primary's breaker;
 * gateway B then skips that target without sending it anything (its fake upstream's attempt
 * log) and reports the breaker open in /metrics. With Redis unreachable, requests through B
 * still succeed, its breakers run on the local fallback, and /health says so.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { redisTestUrl } from '../../src/stores/redis/redis-test-url.js';
import { TcpFaultProxy } from '../../src/stores/testing/tcp-fault-proxy.js';
import { parseExposition, sumOf } from '../../src/observability/metrics/exposition-parser.js';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw, type RawResponse } from './http-client.js';

let a: Harness;
let b: Harness;
let proxy: TcpFaultProxy;
// Breakers key on provider/model and live in Redis beyond this run: names unique to the run.
const run = `${process.pid}-${Date.now().toString(36)}`;
const primary = `shared-cb-primary-${run}`;
const backup = `shared-cb-backup-${run}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function config(): Record<string, unknown> {
  return {
    resilience: {
      maxAttempts: 1, retryBudgetRatio: 1, backoff: { type: 'constant', baseMs: 1, maxMs: 1 },
      circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 },
      timeouts: { connectMs: 1000, firstByteMs: 3000, idleMs: 1500, totalMs: 6000 },
    },
    routes: {
      shared: { targets: [{ provider: 'openai', model: primary }, { provider: 'anthropic', model: backup }] },
      other: { targets: [{ provider: 'openai', model: `${primary}-other` }, { provider: 'anthropic', model: backup }] },
    },
  };
}

async function redisReady(h: Harness): Promise<void> {
  for (let i = 0; i < 300 && !h.gateway.services.redis?.ready; i++) await sleep(10);
  assert.ok(h.gateway.services.redis?.ready, 'gateway connected to Redis');
}

before(async () => {
  const url = new URL(redisTestUrl());
  proxy = await TcpFaultProxy.start(url.hostname, Number(url.port || 6379));
  a = await startHarness({ config: () => ({ state: redisTestUrl(), ...config() }) });
  b = await startHarness({ config: () => ({ state: `redis://127.0.0.1:${proxy.port}`, ...config() }) });
  await redisReady(a);
  await redisReady(b);
});
after(async () => {
  await a.close();
  await b.close();
  await proxy.close();
});

const post = (h: Harness, model: string): Promise<RawResponse> => postJson(`${h.gateway.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] });
const attemptsOf = (h: Harness, model: string) => h.mock.attempts().filter((x) => x.model === model);
const health = async (h: Harness) => (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as { status: string; components: Record<string, Record<string, unknown>> };

describe('breakers shared through Redis', () => {
  test('a breaker opened through gateway A makes gateway B skip the target and report it open', async () => {
    a.mock.script({ match: { model: primary }, steps: [{ status: 500 }], repeat: true });
    for (let i = 0; i < 3; i++) {
      const r = await post(a, 'shared');
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-tollgate-provider'], 'anthropic');
    }
    assert.equal(attemptsOf(a, primary).length, 3);
    const key = `openai/${primary}`;
    // B's mirror refreshes every 500 ms (documented bound: 1 s); allow a busy machine slack.
    for (let i = 0; i < 250 && b.gateway.resilience.breaker.isPristine(key); i++) await sleep(20);
    assert.equal(b.gateway.resilience.breaker.isPristine(key), false, 'B learned of the open breaker');
    b.mock.resetAttempts();
    for (let i = 0; i < 4; i++) {
      const r = await post(b, 'shared');
      assert.equal(r.status, 200);
      assert.equal(r.headers['x-tollgate-provider'], 'anthropic');
    }
    assert.equal(attemptsOf(b, primary).length, 0, 'B never sent the open target anything');
    assert.equal(attemptsOf(b, backup).length, 4);
    const metrics = parseExposition((await raw(`${b.gateway.url}/metrics`, { method: 'GET' })).text);
    assert.equal(sumOf(metrics, 'ai_gateway_circuit_breaker_state', { provider: 'openai' }), 1);
    const h = await health(b);
    assert.equal(h.components.breakers.status, 'healthy');
    assert.equal(h.components.breakers.backend, 'redis');
  });

  test('Redis unreachable: requests through B still succeed on the local breakers; /health shows it', async () => {
    // Refused first (then recovery), black-holed last: a black-holed connection is not
    // replaced by the shared RedisConnection, so nothing after it in this file uses Redis.
    for (const mode of ['refuse', 'blackhole'] as const) {
      proxy.setMode(mode);
      b.mock.script({ match: { model: `${primary}-other` }, steps: [{ status: 500 }], repeat: true });
      for (let i = 0; i < 4; i++) {
        const r = await post(b, 'other'); // a failing primary: breaker writes while Redis is gone
        assert.equal(r.status, 200, `${mode}: request ${i}`);
        assert.equal(r.headers['x-tollgate-provider'], 'anthropic');
        assert.equal((await post(b, 'shared')).status, 200);
        assert.equal((await post(b, 'openai/healthy-direct')).status, 200);
      }
      assert.equal(attemptsOf(b, `${primary}-other`).length, 3, `${mode}: the local breaker opened after 3 failures`);
      const h = await health(b);
      assert.equal(h.status, 'degraded');
      assert.equal(h.components.breakers.status, 'degraded');
      assert.ok(Number(h.components.breakers.fallbacks) > 0, `${mode}: fallbacks counted`);
      assert.equal(h.components.stateStore.status, 'degraded');
      if (mode === 'blackhole') break;
      proxy.setMode('forward');
      b.mock.clearScripts();
      b.mock.resetAttempts();
      await redisReady(b);
      for (let i = 0; i < 150 && (await health(b)).components.breakers.status !== 'healthy'; i++) await sleep(20);
      assert.equal((await health(b)).components.breakers.status, 'healthy', `${mode}: recovered`);
      assert.equal((await post(b, 'other')).headers['x-tollgate-provider'], 'openai', 'the local breaker is dropped: Redis is the truth again');
      b.mock.resetAttempts();
    }
  });
});
