/**
 * End-to-end against the real Redis: two gateway instances share one guard store (each with
 * its own Redis connection, config and log store), under a key prefix unique to this run.
 *
 * - L6: a key with 100 requests per minute, 250 concurrent requests spread over two gateways —
 *   one in this process, one a separate `tollgate start` process → at most 100 accepted, and no
 *   RateLimit header ever shows a negative remaining.
 * - S10: budget $1.00 per day, at most $0.05 per request, 100 concurrent requests over both →
 *   recorded spend ≤ $1.05, every reservation settled, and the shared counter equals the sum
 *   of the costs in both log stores.
 * - F11: Redis stopped (TcpFaultProxy refusing) — the gateway starts anyway, rate limits fall
 *   back to the local share with readiness degraded, budgets fail closed with 503 +
 *   Retry-After, no request hangs; Redis back → full service without a restart, and the
 *   settlements that could not land meanwhile are applied.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startHarness, providersFor, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import { redisTestPrefix, redisTestUrl } from '../../src/stores/redis/redis-test-url.js';
import { TcpFaultProxy } from '../../src/stores/testing/tcp-fault-proxy.js';

const open: Harness[] = [];
after(async () => { await Promise.all(open.map((h) => h.close())); });

function stateUrl(label: string, port?: number): string {
  const u = new URL(redisTestUrl());
  if (port !== undefined) {
    u.hostname = '127.0.0.1';
    u.port = String(port);
  }
  u.searchParams.set('keyPrefix', redisTestPrefix(label));
  return u.toString();
}

async function pair(config: (mockUrl: string) => Record<string, unknown>): Promise<[Harness, Harness]> {
  const a = await startHarness({ config });
  const b = await startHarness({ config });
  open.push(a, b);
  // Steady state: both connected (before that, limits use the local share by design).
  await until(() => a.gateway.services.redis!.ready && b.gateway.services.redis!.ready);
  return [a, b];
}

async function until(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const chat = (max = 10) => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: max });
const auth = (k: string) => ({ authorization: `Bearer ${k}` });

/** A second gateway as its own OS process (`tollgate start`), for the cross-process cases. */
async function childGateway(config: Record<string, unknown>): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-l6-'));
  const file = join(dir, 'tollgate.json.yaml');
  writeFileSync(file, JSON.stringify({ storage: 'none://', logging: { level: 'info', requests: false, spoolDir: join(dir, 'spool') }, ...config }));
  const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'tollgate'), 'start', '--config', file, '--port', '0', '--host', '127.0.0.1'], { env: { PATH: process.env.PATH ?? '' } });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer): void => {
      out += d.toString();
      const m = /http:\/\/127\.0\.0\.1:\d+/.exec(out);
      if (m) resolve(m[0]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`gateway process exited ${code}: ${out}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('L6: rate-limit accuracy across two gateway processes sharing Redis', () => {
  test('rpm=100, 250 concurrent requests → at most 100 accepted, remaining never negative', async (t) => {
    const key = 'tg-l6-shared-key-0123456789abcdef01';
    const state = stateUrl('l6');
    const config = (mockUrl: string) => ({ state, providers: { openai: providersFor(mockUrl).openai }, keys: [{ name: 'l6', tenant: 't', key, rateLimits: { perMinute: 100 } }], rateLimits: { default: { perMinute: 10_000 } } });
    const a = await startHarness({ config });
    open.push(a);
    const b = await childGateway(config(a.mock.url));
    t.after(() => b.stop());
    const guardsUp = async (url: string): Promise<boolean> =>
      ((await raw(`${url}/health`, { method: 'GET' })).json() as { components: { guards: { redis?: string } } }).components.guards.redis === 'up';
    await until(async () => (await guardsUp(a.gateway.url)) && (await guardsUp(b.url)));
    const results = await Promise.all(Array.from({ length: 250 }, (_, i) => postJson(`${i % 2 ? a.gateway.url : b.url}/v1/chat/completions`, chat(), auth(key))));
    const accepted = results.filter((r) => r.status === 200).length;
    assert.equal(accepted, 100, 'exactly the limit: every request arrived within one window');
    assert.ok(results.every((r) => r.status === 200 || r.status === 429));
    for (const r of results) {
      const remaining = /;r=(-?\d+);/.exec(String(r.headers.ratelimit))?.[1];
      assert.ok(remaining !== undefined && Number(remaining) >= 0, `RateLimit: ${String(r.headers.ratelimit)}`);
    }
  });
});

describe('S10: budget race across two instances', () => {
  test('$1.00 budget, $0.05 cap, 100 concurrent → spend ≤ $1.05, all settled, counter = log store sum', async () => {
    const key = 'tg-s10-shared-key-0123456789abcdef0';
    const state = stateUrl('s10');
    const [a, b] = await pair((mockUrl) => ({
      state,
      // 40 output tokens per answer, 1,000 micro-USD per token: each call costs ~$0.041 against a ~$0.048 worst case.
      providers: { openai: { ...(providersFor(mockUrl).openai as object), headers: { 'x-mock-script': 'chunks=40' } } },
      pricing: { 'openai/gpt-4o-mini': { input: 1000, output: 1000 } },
      keys: [{ name: 's10', tenant: 't', key, budget: { perRequest: 0.05, daily: 1.0 } }],
      rateLimits: { default: { perMinute: 10_000 } },
    }));
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => postJson(`${(i % 2 ? a : b).gateway.url}/v1/chat/completions`, chat(40), auth(key))));
    const ok = results.filter((r) => r.status === 200);
    assert.ok(ok.length > 0 && results.every((r) => r.status === 200 || r.status === 402), results.map((r) => r.status).join(','));
    await a.gateway.services.guards.idle();
    await b.gateway.services.guards.idle();

    const admin = await raw(`${a.gateway.url}/api/admin/budgets`, { method: 'GET' });
    const daily = (admin.json().data as Array<{ name: string; window: string; spentMicros: number; reservedMicros: number }>).find((x) => x.name === 's10' && x.window === 'daily')!;
    assert.ok(daily.spentMicros <= 1_050_000, `spent ${daily.spentMicros}`);
    assert.equal(daily.reservedMicros, 0, 'every reservation settled');

    const logged = async (h: Harness): Promise<{ n: number; sum: number }> => {
      const db = new Database(h.gateway.config().source.storage.slice('sqlite://'.length), { readonly: true });
      try {
        return db.prepare("SELECT COUNT(*) AS n, COALESCE(SUM(cost_micros), 0) AS sum FROM usage_events WHERE key_id = 'config:s10'").get() as { n: number; sum: number };
      } finally {
        db.close();
      }
    };
    await until(async () => (await logged(a)).n + (await logged(b)).n === 100);
    const total = (await logged(a)).sum + (await logged(b)).sum;
    assert.equal(total, daily.spentMicros, 'the counter equals the spend in the log stores');
    const headerSum = ok.reduce((s, r) => s + Math.round(Number(r.headers['x-tollgate-cost-usd']) * 1e6), 0);
    assert.equal(headerSum, total);
  });
});

describe('F11: Redis stopped under load, then restarted', () => {
  test('starts while Redis is down; limits degrade, budgets fail closed, nothing hangs; recovers without restart', async () => {
    const target = new URL(redisTestUrl());
    const proxy = await TcpFaultProxy.start(target.hostname, Number(target.port || 6379));
    try {
      proxy.setMode('refuse');
      const limited = 'tg-f11-limited-key-0123456789abcdef';
      const budgeted = 'tg-f11-budget-key-0123456789abcdef0';
      const state = stateUrl('f11', proxy.port);
      const g = await startHarness({ config: () => ({
        state,
        pricing: { 'openai/gpt-4o-mini': { input: 1, output: 1 } },
        rateLimits: { default: { perMinute: 1_000 }, replicas: 2 },
        keys: [
          { name: 'lim', tenant: 't', key: limited, rateLimits: { perMinute: 10 } },
          { name: 'bud', tenant: 't', key: budgeted, budget: { daily: 10 } },
        ],
      }) });
      open.push(g);
      const url = `${g.gateway.url}/v1/chat/completions`;
      const ready = async (): Promise<string> => ((await raw(`${g.gateway.url}/health/ready`, { method: 'GET' })).json() as { status: string }).status;

      // Down from the start: the local share is limit / replicas = 5.
      const timed = async (k: string) => { const t0 = Date.now(); const r = await postJson(url, chat(), auth(k)); return { r, ms: Date.now() - t0 }; };
      const down = [];
      for (let i = 0; i < 7; i++) down.push(await timed(limited));
      assert.deepEqual(down.map((x) => x.r.status), [200, 200, 200, 200, 200, 429, 429]);
      const refused = await timed(budgeted);
      assert.equal(refused.r.status, 503);
      assert.equal((refused.r.json().error as { code: string }).code, 'guard_unavailable');
      assert.match(String(refused.r.headers['retry-after']), /^[1-9]\d*$/);
      for (const x of [...down, refused]) assert.ok(x.ms < 2_000, `a request waited ${x.ms} ms on Redis`);
      assert.equal(await ready(), 'degraded');
      assert.ok(g.gateway.services.guards.health().detail.rateLimitFallbacks >= 7);

      // Back: full service, no restart.
      proxy.setMode('forward');
      await until(() => g.gateway.services.redis!.ready);
      assert.equal((await postJson(url, chat(), auth(budgeted))).status, 200);
      await until(async () => (await ready()) === 'ok');

      // Stopped under load: requests in flight while Redis goes away settle once it is back.
      const load = Array.from({ length: 30 }, (_, i) => postJson(url, chat(), auth(i % 2 ? budgeted : limited)));
      proxy.setMode('refuse');
      const statuses = (await Promise.all(load)).map((r) => r.status);
      assert.ok(statuses.every((s) => [200, 429, 503].includes(s)), statuses.join(','));
      proxy.setMode('forward');
      await until(() => g.gateway.services.redis!.ready);
      await until(() => g.gateway.services.guards.health().detail.pendingSettlements === 0);
      await g.gateway.services.guards.idle();
      const budgets = await raw(`${g.gateway.url}/api/admin/budgets`, { method: 'GET' });
      const row = (budgets.json().data as Array<{ name: string; reservedMicros: number }>).find((x) => x.name === 'bud')!;
      assert.equal(row.reservedMicros, 0, 'reservations taken before the outage were settled after it');
    } finally {
      await proxy.close();
    }
  });
});
