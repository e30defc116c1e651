/**
 * End-to-end health: /health/live stays ok, /health reports each provider's passive health
 * (breaker state and recent errors of the targets that took traffic), request totals and the
 * components, and /health/ready answers 503 `degraded` while a store is unreachable (log store
 * from the start; PostgreSQL or Redis stopped behind a fault proxy) — requests still succeed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import { TcpFaultProxy } from '../../src/stores/testing/tcp-fault-proxy.js';
import { TestSchemas, testDatabaseUrl } from '../../src/stores/events/postgres-test-database.js';
import { redisTestUrl } from '../../src/stores/redis/redis-test-url.js';

interface Health {
  status: string;
  version: string;
  uptimeSeconds: number;
  requests: number;
  averageLatencyMs: number | null;
  components: Record<'logStore' | 'stateStore' | 'cache' | 'tracing' | 'stdout', { status: string; backend?: string; droppedWrites?: number }>;
  providers: Array<{ name: string; status: string; lastCheck: number | null; latencyMs: number | null; targets: Array<{ id: string; breaker: string; errorRate: number }> }>;
}

describe('provider health', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: () => ({ resilience: { maxAttempts: 1, circuitBreaker: { failureThreshold: 3, cooldownMs: 60_000 }, timeouts: { connectMs: 1000, firstByteMs: 2000, idleMs: 1000, totalMs: 4000 } } }) });
  });
  after(async () => { await h.close(); });

  test('healthy at start, degraded once a target keeps failing, live throughout', async () => {
    const first = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as unknown as Health;
    assert.equal(first.status, 'healthy');
    assert.match(first.version, /^\d+\.\d+\.\d+/);
    assert.ok(first.providers.some((p) => p.name === 'openai' && p.status === 'healthy'));
    await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    for (let i = 0; i < 4; i++) {
      await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/broken~status=500', messages: [{ role: 'user', content: 'x' }] });
    }
    const later = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as unknown as Health;
    assert.equal(later.status, 'degraded');
    assert.equal(later.requests, 5);
    assert.ok(later.averageLatencyMs !== null && later.averageLatencyMs > 0);
    assert.equal(later.components.stateStore.backend, 'memory');
    assert.equal(later.components.cache.status, 'not_configured');
    assert.equal(later.components.tracing.status, 'not_configured');
    assert.ok((later.providers.find((p) => p.name === 'openai')?.lastCheck ?? 0) > Date.now() - 60_000);
    assert.equal(later.providers.find((p) => p.name === 'anthropic')?.lastCheck, null);
    const openai = later.providers.find((p) => p.name === 'openai');
    assert.equal(openai?.status, 'degraded');
    assert.equal(openai?.targets.find((t) => t.id === 'openai/broken~status=500')?.breaker, 'open');
    assert.equal(openai?.targets.find((t) => t.id === 'openai/gpt-4o-mini')?.breaker, 'closed');
    const live = await raw(`${h.gateway.url}/health/live`, { method: 'GET' });
    assert.equal(live.status, 200);
  });
});

describe('log store down', () => {
  let h: Harness;
  before(async () => {
    // Port 1 refuses connections at once: the request log is unreachable from the start.
    h = await startHarness({ config: () => ({ storage: 'postgres://postgres@127.0.0.1:1/test' }) });
  });
  after(async () => { await h.close(); });

  test('requests still succeed and readiness says degraded with a 503', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.status, 200);
    await h.gateway.services.events.flush();
    const ready = await raw(`${h.gateway.url}/health/ready`, { method: 'GET' });
    // Deliberately 503 (it was 200): an orchestrator should prefer an instance whose stores work.
    assert.equal(ready.status, 503);
    assert.equal(ready.json().status, 'degraded');
    const health = ready && ((await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as unknown as Health);
    assert.equal(health.components.logStore.status, 'degraded');
    const logs = await raw(`${h.gateway.url}/api/logs`, { method: 'GET' });
    assert.equal(logs.status, 503);
  });
});

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 8_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a store stopped while serving', () => {
  const schemas = new TestSchemas();
  let pgProxy: TcpFaultProxy;
  let redisProxy: TcpFaultProxy;
  let h: Harness;
  before(async () => {
    const pgUrl = new URL(testDatabaseUrl());
    const redisUrl = new URL(redisTestUrl());
    pgProxy = await TcpFaultProxy.start(pgUrl.hostname, Number(pgUrl.port || 5432));
    redisProxy = await TcpFaultProxy.start(redisUrl.hostname, Number(redisUrl.port || 6379));
    const storage = new URL(schemas.nextUrl().url);
    storage.host = `127.0.0.1:${pgProxy.port}`;
    redisUrl.host = `127.0.0.1:${redisProxy.port}`;
    h = await startHarness({ config: () => ({ storage: storage.toString(), state: redisUrl.toString() }) });
  });
  after(async () => {
    await h.close();
    await pgProxy.close();
    await redisProxy.close();
    await schemas.dropAll();
  });

  const ready = async (): Promise<{ status: number; body: Record<string, unknown> }> => {
    const r = await raw(`${h.gateway.url}/health/ready`, { method: 'GET' });
    return { status: r.status, body: r.json() };
  };
  const chat = () => postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });

  test('ready while both stores answer', async () => {
    assert.equal((await chat()).status, 200);
    await h.gateway.services.events.flush();
    await waitFor('ready', async () => (await ready()).status === 200);
    const health = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as unknown as Health;
    assert.equal(health.components.stateStore.backend, 'redis');
    assert.equal(health.components.stateStore.status, 'healthy');
    assert.equal(health.components.logStore.status, 'healthy');
    assert.deepEqual(health.components.stdout, { status: 'healthy', droppedWrites: 0 });
  });

  test('PostgreSQL stopped: degraded and not ready, back when it returns', async () => {
    pgProxy.setMode('refuse');
    assert.equal((await chat()).status, 200);
    await h.gateway.services.events.flush();
    await waitFor('log store down', async () => (await ready()).status === 503);
    const r = await ready();
    assert.equal(r.body.status, 'degraded');
    assert.equal(r.body.logStore, 'degraded');
    const health = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as unknown as Health;
    assert.equal(health.status, 'degraded');
    pgProxy.setMode('forward');
    await waitFor('log store back', async () => (await ready()).status === 200, 15_000);
  });

  test('Redis stopped: degraded and not ready, back when it returns', async () => {
    redisProxy.setMode('refuse');
    await waitFor('state store down', async () => (await ready()).status === 503);
    const r = await ready();
    assert.equal(r.body.stateStore, 'degraded');
    assert.equal((await chat()).status, 200, 'requests keep flowing');
    redisProxy.setMode('forward');
    await waitFor('state store back', async () => (await ready()).status === 200, 15_000);
  });
});
