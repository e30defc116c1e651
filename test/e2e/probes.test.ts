/**
 * Active provider probes end to end: a real gateway whose `openai`, `azure` and `workers-ai`
 * providers have `probe` configured (the others not), in front of the fake upstream answering
 * the probes' model-list requests. Healthy first (each adapter's own list endpoint, with its
 * credentials), then the OpenAI list fails with 500s and then hangs past the probe timeout:
 * /health reports the provider degraded after one failure and unhealthy after two, with the
 * error code, and /metrics the probe gauge; then it recovers. Closing the gateway stops them.
 * Probes obey the SSRF guard like real calls: under `privateNetworks: allowlist` a probe of a
 * loopback provider is refused (`target_forbidden`) and never reaches the fake upstream. A
 * config reload re-plans them: a provider that lost its `probe` stops being probed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startMockUpstream } from '../../src/mock-upstream/server.js';
import { parseExposition, sumOf } from '../../src/observability/metrics/exposition-parser.js';
import { providersFor, startHarness, type Harness } from './harness.js';
import { raw } from './http-client.js';

interface ProviderView {
  name: string;
  status: string;
  probe: { status: string; lastCheck: number | null; latencyMs: number | null; errorCode: string | null; consecutiveFailures: number } | null;
}

let h: Harness;
const probe = { interval: '1s', timeout: '300ms' };

before(async () => {
  h = await startHarness({
    config: (mockUrl) => {
      const p = providersFor(mockUrl) as Record<string, Record<string, unknown>>;
      return { providers: { openai: { ...p.openai, probe }, azure: { ...p.azure, probe }, 'workers-ai': { ...p['workers-ai'], probe } } };
    },
  });
});
after(async () => { await h?.close(); });

async function providers(): Promise<Map<string, ProviderView>> {
  const body = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as { providers: ProviderView[] };
  return new Map(body.providers.map((p) => [p.name, p]));
}

/** Polls /health until `ok` holds for the OpenAI provider (probes run every second). */
async function openaiWhen(ok: (p: ProviderView) => boolean, what: string): Promise<ProviderView> {
  let last: ProviderView | undefined;
  for (let i = 0; i < 100; i++) {
    last = (await providers()).get('openai');
    if (last && ok(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${what}; last seen: ${JSON.stringify(last)}`);
}

describe('active provider probes', () => {
  test('healthy: each probed provider\'s model list answers; unprobed providers report no probe', async () => {
    for (const name of ['openai', 'azure', 'workers-ai']) {
      for (let i = 0; i < 50 && (await providers()).get(name)?.probe?.status !== 'up'; i++) await new Promise((r) => setTimeout(r, 100));
    }
    const all = await providers();
    for (const name of ['openai', 'azure', 'workers-ai']) {
      const p = all.get(name)!;
      assert.equal(p.probe?.status, 'up', name);
      assert.equal(p.status, 'healthy');
      assert.equal(typeof p.probe?.lastCheck, 'number');
      assert.ok((p.probe?.latencyMs ?? -1) >= 0);
      assert.equal(p.probe?.errorCode, null);
    }
    assert.equal(all.get('anthropic')?.probe, null);
    const gets = h.mock.attempts().filter((a) => a.method === 'GET');
    const openai = gets.find((a) => a.path === '/v1/models');
    assert.equal(openai?.headers.authorization, 'Bearer sk-test-openai-key');
    assert.equal(gets.find((a) => a.path === '/openai/models')?.headers['api-key'], 'azure-test-key');
    assert.equal(gets.find((a) => a.path === '/client/v4/accounts/acct1/ai/models/search')?.headers.authorization, 'Bearer cf-test-token');
    assert.ok(gets.every((a) => a.bodyBytes === 0), 'probes carry no body');
  });

  test('500s, then timeouts: degraded after one failure, unhealthy after two; then recovery', async () => {
    h.mock.script({ match: { path: '/v1/models' }, steps: [{ status: 500 }], repeat: true });
    const degraded = await openaiWhen((p) => p.probe?.status === 'down', 'the first failed probe shows');
    assert.equal(degraded.probe?.errorCode, 'upstream_server_error');
    assert.equal(degraded.status, degraded.probe?.consecutiveFailures === 1 ? 'degraded' : 'unhealthy');
    const unhealthy = await openaiWhen((p) => (p.probe?.consecutiveFailures ?? 0) >= 2, 'a second failure in a row');
    assert.equal(unhealthy.status, 'unhealthy');
    const health = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json();
    assert.equal(health.status, 'degraded', 'the gateway still serves: degraded, not unhealthy');
    const metrics = parseExposition((await raw(`${h.gateway.url}/metrics`, { method: 'GET' })).text);
    assert.equal(sumOf(metrics, 'ai_gateway_provider_probe_up', { provider: 'openai' }), 0);
    assert.equal(sumOf(metrics, 'ai_gateway_provider_probe_up', { provider: 'azure' }), 1);

    h.mock.clearScripts();
    h.mock.script({ match: { path: '/v1/models' }, steps: [{ hang: true }], repeat: true });
    const hung = await openaiWhen((p) => p.probe?.errorCode === 'upstream_timeout', 'a hung list times out');
    assert.ok((hung.probe?.latencyMs ?? 0) >= 250, `gave up at the 300 ms timeout, not before (${hung.probe?.latencyMs} ms)`);
    assert.equal(hung.status, 'unhealthy');

    h.mock.clearScripts();
    const back = await openaiWhen((p) => p.probe?.status === 'up', 'recovery');
    assert.deepEqual([back.status, back.probe?.errorCode, back.probe?.consecutiveFailures], ['healthy', null, 0]);
  });

  test('closing the gateway stops the probes', async () => {
    await h.gateway.close();
    const count = () => h.mock.attempts().filter((a) => a.method === 'GET').length;
    const before = count();
    await new Promise((r) => setTimeout(r, 1_500));
    assert.equal(count(), before);
  });
});

describe('probes go through the SSRF guard', () => {
  test('a loopback provider under privateNetworks: allowlist → target_forbidden, nothing sent', async () => {
    const g = await startHarness({
      config: (mockUrl) => ({
        providers: { openai: { ...(providersFor(mockUrl) as Record<string, Record<string, unknown>>).openai, probe } },
        security: { privateNetworks: 'allowlist' },
      }),
    });
    try {
      let p: ProviderView | undefined;
      for (let i = 0; i < 50 && p?.probe?.status !== 'down'; i++) {
        const body = (await raw(`${g.gateway.url}/health`, { method: 'GET' })).json() as { providers: ProviderView[] };
        p = body.providers.find((x) => x.name === 'openai');
        if (p?.probe?.status !== 'down') await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(p?.probe?.errorCode, 'target_forbidden');
      assert.equal(g.mock.attempts().length, 0);
    } finally {
      await g.close();
    }
  });
});

describe('probes are re-planned on reload', () => {
  test('removing a provider\'s probe stops it and drops its result', async () => {
    const mock = await startMockUpstream({ port: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-probe-reload-'));
    const file = join(dir, 'tollgate.yaml');
    const openai = (providersFor(mock.url) as Record<string, Record<string, unknown>>).openai;
    const write = (entry: Record<string, unknown>) => writeFileSync(file, stringify({
      storage: `sqlite://${join(dir, 't.db')}`, logging: { requests: false, spoolDir: join(dir, 'spool') }, providers: { openai: entry },
    }));
    write({ ...openai, probe });
    const g = await startHarness({ configPath: file });
    const probeOf = async () => ((await raw(`${g.gateway.url}/health`, { method: 'GET' })).json() as { providers: ProviderView[] }).providers.find((p) => p.name === 'openai')?.probe;
    try {
      for (let i = 0; i < 50 && (await probeOf())?.status !== 'up'; i++) await new Promise((r) => setTimeout(r, 100));
      assert.equal((await probeOf())?.status, 'up');
      write(openai);
      assert.equal(g.gateway.reload(), true);
      assert.equal(await probeOf(), null);
      const sent = mock.attempts().filter((a) => a.path === '/v1/models').length;
      await new Promise((r) => setTimeout(r, 1_500));
      assert.equal(mock.attempts().filter((a) => a.path === '/v1/models').length, sent, 'no probe after the reload');
    } finally {
      await g.close();
      await mock.close();
    }
  });
});
