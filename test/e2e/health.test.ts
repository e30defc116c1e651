/**
 * End-to-end health: /health/live stays ok, /health reports each provider's passive health
 * (breaker state and recent errors of the targets that took traffic) and the log store, and
 * /health/ready reports `degraded` — still 200, traffic keeps flowing — when the log store is
 * unreachable.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

interface Health {
  status: string;
  version: string;
  components: { logStore: { status: string } };
  providers: Array<{ name: string; status: string; targets: Array<{ id: string; breaker: string; errorRate: number }> }>;
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

  test('requests still succeed and readiness says degraded with a 200', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.status, 200);
    await h.gateway.services.events.flush();
    const ready = await raw(`${h.gateway.url}/health/ready`, { method: 'GET' });
    assert.equal(ready.status, 200);
    assert.equal(ready.json().status, 'degraded');
    const health = ready && ((await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as unknown as Health);
    assert.equal(health.components.logStore.status, 'degraded');
    const logs = await raw(`${h.gateway.url}/api/logs`, { method: 'GET' });
    assert.equal(logs.status, 503);
  });
});
