/**
 * End-to-end alerting: a real gateway with a custom error-rate rule and three destinations
 * (webhook, PagerDuty, and a webhook that never answers), driven by the official SDK against
 * the fake upstream. The rule fires from live traffic, the transition is stored in the request
 * log's database and listed at /api/alerts, both working destinations receive it, and a
 * destination that is down never slows requests. Also the `tollgate alerts` and
 * `tollgate export` commands against local receivers.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import OpenAI from 'openai';
import { request } from 'undici';
import { CaptureServer } from '../../src/alerts/destinations/capture-server.js';
import { startHarness, type Harness } from './harness.js';

const BIN = fileURLToPath(new URL('../../../bin/tollgate', import.meta.url));

async function until<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('alerts fire from live traffic', () => {
  let h: Harness;
  let hook: CaptureServer;
  let pd: CaptureServer;
  let down: CaptureServer;

  before(async () => {
    [hook, pd, down] = await Promise.all([CaptureServer.start(), CaptureServer.start(), CaptureServer.start()]);
    down.script = ['hang'];
    h = await startHarness({
      config: () => ({
        resilience: { maxAttempts: 1, timeouts: { connectMs: 2000, firstByteMs: 3000, idleMs: 1500, totalMs: 6000 } },
        alerts: {
          evaluateEvery: '1s',
          dashboardUrl: 'http://127.0.0.1:8787/dashboard/',
          notify: ['hook'],
          destinations: {
            hook: { type: 'webhook', url: `${hook.url}/alerts`, secret: 'e2e-webhook-secret-123' },
            pd: { type: 'pagerduty', routingKey: 'e2e-routing', url: `${pd.url}/v2/enqueue` },
            down: { type: 'webhook', url: `${down.url}/alerts` },
          },
          delivery: { timeout: '30s', maxAttempts: 1 },
          rules: [{ name: 'e2e-errors', signal: 'error_rate', above: 0.2, window: '1m', minRequests: 5, notify: ['hook', 'pd', 'down'] }],
        },
      }),
    });
  });
  after(async () => {
    await h.close();
    await Promise.all([hook.close(), pd.close(), down.close()]);
  });

  test('an error burst fires the rule once, to every destination, stored and listed', async () => {
    for (let i = 0; i < 3; i++) await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'ok' }] });
    for (let i = 0; i < 6; i++) {
      await assert.rejects(h.client.chat.completions.create({ model: 'openai/gpt-4o-mini~status=500', messages: [{ role: 'user', content: 'x' }] }));
    }
    const [delivered] = await hook.waitFor(1);
    const body = JSON.parse(delivered!.body) as { details: { rule: string; state: string; value: number }; link: string };
    assert.equal(body.details.rule, 'e2e-errors');
    assert.equal(body.details.state, 'firing');
    assert.ok(Math.abs(body.details.value - 6 / 9) < 1e-9, `error rate ${body.details.value}`);
    assert.equal(body.link, 'http://127.0.0.1:8787/dashboard/');
    assert.match(String(delivered!.headers['x-tollgate-signature']), /^sha256=[0-9a-f]{64}$/);
    const [event] = await pd.waitFor(1);
    assert.equal((JSON.parse(event!.body) as { event_action: string }).event_action, 'trigger');

    const res = await request(`${h.gateway.url}/api/alerts`);
    const listed = (await res.body.json()) as { firing: Array<{ rule: string }>; history: Array<{ rule: string; state: string }>; rules: Array<{ name: string }> };
    assert.equal(res.statusCode, 200);
    assert.deepEqual(listed.firing.map((f) => f.rule), ['e2e-errors']);
    assert.deepEqual(listed.history.filter((t) => t.rule === 'e2e-errors').map((t) => t.state), ['firing']);
    assert.ok(listed.rules.some((r) => r.name === 'high-error-rate'), 'built-ins listed with custom rules');

    // Evaluations keep running; a condition that keeps holding is not re-sent.
    await new Promise((r) => setTimeout(r, 2_500));
    assert.equal(hook.received.filter((r) => r.body.includes('e2e-errors')).length, 1);
  });

  test('a destination that never answers does not slow or fail requests', async () => {
    await down.waitFor(1); // the delivery to it is open and unanswered
    for (let i = 0; i < 20; i++) {
      const r = await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'still fast' }] });
      assert.ok(r.choices[0]!.message.content);
    }
    const stats = h.gateway.services.alerts.engine.delivery.stats.get('down');
    assert.deepEqual([stats?.sent ?? 0, stats?.failed ?? 0], [0, 0], 'the hung delivery was still in flight while requests flowed');
  });
});

function runCli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('alerts and export commands', () => {
  let cap: CaptureServer;
  let dir: string;
  before(async () => {
    cap = await CaptureServer.start();
    dir = mkdtempSync(join(tmpdir(), 'tollgate-alerts-cli-'));
    writeFileSync(join(dir, 'tollgate.yaml'), [
      `storage: sqlite://${join(dir, 'log.db')}`,
      'alerts:',
      '  destinations:',
      `    ops: { type: slack, webhookUrl: "${cap.url}/slack" }`,
      '  builtins:',
      '    hourly-cost: { above: 42 }',
    ].join('\n'));
  });
  after(() => cap.close());

  test('alerts test sends a sample to the named destination; an unknown one fails', async () => {
    const ok = await runCli(['alerts', 'test', '--destination', 'ops'], dir);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /sent a test notification to ops/);
    assert.match(cap.json(0).text as string, /\[TEST\]/);
    const bad = await runCli(['alerts', 'test', '--destination', 'nope'], dir);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /no alert destination named "nope" \(configured: ops\)/);
    assert.equal((await runCli(['alerts', 'test'], dir)).code, 2);
  });

  test('alerts report prints a summary of the local request log', async () => {
    const r = await runCli(['alerts', 'report', '--period', 'daily'], dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Tollgate daily report: 0 requests, \$0\.00/);
  });

  test('export prometheus-rules uses the config thresholds; grafana-dashboard writes four dashboards', async () => {
    const rules = await runCli(['export', 'prometheus-rules'], dir);
    assert.equal(rules.code, 0, rules.stderr);
    assert.match(rules.stdout, /alert: TollgateHourlyCost/);
    assert.match(rules.stdout, /> 42/);
    const out = join(dir, 'dash');
    const d = await runCli(['export', 'grafana-dashboard', '--out', out], dir);
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['tollgate-cache.json', 'tollgate-cost.json', 'tollgate-executive.json', 'tollgate-performance.json']);
    assert.ok(existsSync(join(out, 'tollgate-executive.json')));
  });
});

describe('budget-approaching fires from real spend guards', () => {
  let h: Harness;
  let hook: CaptureServer;
  const KEY = 'tg-alerts-budget-key-0123456789abcdef';
  before(async () => {
    hook = await CaptureServer.start();
    h = await startHarness({
      config: () => ({
        // $3000 per 1M tokens makes each small answer cost about two cents, against a $0.50 daily budget.
        pricing: { 'openai/gpt-4o-mini': { input: 3000, output: 3000 } },
        tenants: { acme: { budget: { daily: 0.5 } } },
        keys: [{ name: 'acme-app', tenant: 'acme', key: KEY }],
        alerts: {
          evaluateEvery: '1s',
          destinations: { hook: { type: 'webhook', url: `${hook.url}/alerts` } },
          builtins: { 'hourly-cost': false, 'daily-cost': false, 'cost-anomaly': false },
        },
      }),
    });
  });
  after(async () => {
    await h.close();
    await hook.close();
  });

  test('spend past 80% of a tenant budget notifies with the tenant as scope', async () => {
    const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });
    let spent = 0;
    for (let i = 0; i < 80 && spent < 0.42; i++) {
      const r = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', max_tokens: 5, messages: [{ role: 'user', content: `spend ${i}` }] }).withResponse();
      spent += Number(r.response.headers.get('x-tollgate-cost-usd'));
    }
    assert.ok(spent >= 0.4 && spent < 0.5, `spent ${spent}`);
    const delivered = await until(() => hook.received.find((r) => r.body.includes('budget-approaching')), 10_000);
    const body = JSON.parse(delivered.body) as { details: { scope: string; value: number; state: string } };
    assert.equal(body.details.state, 'firing');
    assert.match(body.details.scope, /acme/);
    assert.ok(body.details.value > 0.8 && body.details.value < 1, `utilisation ${body.details.value}`);
  });
});
