/**
 * End-to-end analytics: traffic through a real gateway lands in the hourly rollups in the same
 * transaction as the log rows, so GET /api/analytics/usage, POST /graphql and
 * GET /api/gateway/metrics report totals equal to the sum of the request-log rows; all three
 * need the admin key. `tollgate analytics` prints a table, CSV or JSON from a local store or a
 * running gateway.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { openSqliteEventStore } from '../../src/stores/events/sqlite-event-store.js';
import { analyticsEvents } from '../../src/analytics/analytics-store.contract.js';

const ADMIN = 'admin-key-0123456789abcdef';
const BIN = join(process.cwd(), 'bin', 'tollgate');
const auth = { authorization: `Bearer ${ADMIN}` };

async function logRows(h: Harness): Promise<UsageEvent[]> {
  const out: UsageEvent[] = [];
  for await (const row of h.gateway.services.store!.scan({})) out.push(row);
  return out;
}

function runAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const timer = setTimeout(() => child.kill(), 20_000);
    child.on('exit', (status) => { clearTimeout(timer); resolve({ status, stdout, stderr }); });
  });
}

describe('analytics over the gateway', () => {
  let h: Harness;
  let rows: UsageEvent[];
  before(async () => {
    h = await startHarness({ config: () => ({ admin: { apiKey: ADMIN } }) });
    for (let i = 0; i < 4; i++) await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `q${i}` }] }, { headers: { 'x-tollgate-operation': 'faq' } });
    for (let i = 0; i < 3; i++) await h.client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'longer question here' }] });
    await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/broken~status=400', messages: [{ role: 'user', content: 'x' }] });
    await h.gateway.services.events.flush();
    rows = await logRows(h);
    assert.equal(rows.length, 8);
  });
  after(async () => { await h.close(); });

  const sum = (xs: UsageEvent[], f: (e: UsageEvent) => number): number => xs.reduce((a, e) => a + f(e), 0);

  test('operator routes need the admin key', async () => {
    for (const [method, path] of [['GET', '/api/analytics/usage'], ['GET', '/api/gateway/metrics'], ['POST', '/graphql']]) {
      const r = await raw(`${h.gateway.url}${path}`, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"query":"{ __typename }"}' : undefined });
      assert.equal(r.status, 401, path);
    }
  });

  test('GET /api/analytics/usage totals equal the sum of the log rows', async () => {
    const r = await raw(`${h.gateway.url}/api/analytics/usage?groupBy=provider,model&since=2h`, { method: 'GET', headers: auth });
    assert.equal(r.status, 200, r.text);
    const data = r.json().data as Array<{ provider: string; model: string; requests: number; errors: number; tokensIn: number; tokensOut: number; costUsd: number; latencyP50Ms: number }>;
    assert.equal(sum(data as never, (d) => (d as unknown as { requests: number }).requests), rows.length);
    for (const d of data) {
      const mine = rows.filter((e) => e.provider === d.provider && e.model === d.model);
      assert.equal(d.requests, mine.length);
      assert.equal(d.errors, mine.filter((e) => e.status >= 400).length);
      assert.equal(d.tokensIn, sum(mine, (e) => e.tokensIn));
      assert.equal(d.tokensOut, sum(mine, (e) => e.tokensOut));
      assert.equal(Math.round(d.costUsd * 1e6), sum(mine, (e) => e.costMicros ?? 0));
      assert.ok(d.latencyP50Ms > 0);
    }
    const bad = await raw(`${h.gateway.url}/api/analytics/usage?groupBy=user`, { method: 'GET', headers: auth });
    assert.equal(bad.status, 400);
  });

  test('POST /graphql aiGatewayUsage', async () => {
    const query = `{ aiGatewayUsage(filter: { provider: "openai" }, orderBy: [datetimeHour_DESC], limit: 10) {
      datetimeHour model provider requests tokensIn tokensOut errors cacheHits cacheMisses cost } }`;
    const r = await postJson(`${h.gateway.url}/graphql`, { query }, auth);
    assert.equal(r.status, 200, r.text);
    const body = r.json() as { data: { aiGatewayUsage: Array<{ datetimeHour: string; model: string; provider: string; requests: number; tokensIn: number; errors: number; cost: number }> }; errors?: unknown };
    assert.equal(body.errors, undefined);
    const got = body.data.aiGatewayUsage;
    const openai = rows.filter((e) => e.provider === 'openai');
    assert.equal(sum(got as never, (g) => (g as unknown as { requests: number }).requests), openai.length);
    assert.ok(got.every((g) => g.provider === 'openai' && /^\d{4}-\d\d-\d\dT\d\d:00:00\.000Z$/.test(g.datetimeHour)));
    assert.equal(got.find((g) => g.model === 'gpt-4o-mini')?.requests, 4);
    assert.equal(Math.round(sum(got as never, (g) => (g as unknown as { cost: number }).cost) * 1e6), sum(openai, (e) => e.costMicros ?? 0));
    const invalid = await postJson(`${h.gateway.url}/graphql`, { query: '{ aiGatewayUsage { nope } }' }, auth);
    assert.ok((invalid.json() as { errors?: unknown[] }).errors?.length);
  });

  test('GET /api/gateway/metrics summarises the window', async () => {
    const r = await raw(`${h.gateway.url}/api/gateway/metrics?window=24h`, { method: 'GET', headers: auth });
    assert.equal(r.status, 200, r.text);
    const s = r.json() as { requests: { total: number; success: number; error: number; byModel: Record<string, number>; byProvider: Record<string, number> };
      tokens: { input: number; output: number; total: number }; costs: { totalUsd: number; byOperation: Record<string, number> }; latency: { p50Ms: number; p99Ms: number };
      providers: Array<{ name: string }>; projection: { monthlyCostUsd: number } };
    assert.equal(s.requests.total, 8);
    assert.equal(s.requests.error, 1);
    assert.equal(s.requests.byModel['openai/gpt-4o-mini'], 4);
    assert.equal(s.requests.byProvider.anthropic, 3);
    assert.equal(s.tokens.input, sum(rows, (e) => e.tokensIn));
    assert.equal(Math.round(s.costs.totalUsd * 1e6), sum(rows, (e) => e.costMicros ?? 0));
    assert.ok(s.costs.byOperation.faq > 0);
    assert.ok(s.latency.p50Ms > 0 && s.latency.p99Ms >= s.latency.p50Ms);
    assert.ok(Math.abs(s.projection.monthlyCostUsd - s.costs.totalUsd * 30) < 1e-5);
    assert.ok(s.providers.some((p) => p.name === 'openai'));
    assert.equal((await raw(`${h.gateway.url}/api/gateway/metrics?window=2h`, { method: 'GET', headers: auth })).status, 400);
  });

  test('tollgate analytics --url prints JSON and CSV from a running gateway', async () => {
    const json = await runAsync(['analytics', '--url', h.gateway.url, '--admin-key', ADMIN, '--today', '--group-by', 'provider', '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    const parsed = JSON.parse(json.stdout) as Array<{ provider: string; requests: number }>;
    assert.equal(parsed.find((p) => p.provider === 'anthropic')?.requests, 3);
    const csv = await runAsync(['analytics', '--url', h.gateway.url, '--admin-key', ADMIN, '--week', '--group-by', 'model', '--format', 'csv']);
    assert.equal(csv.status, 0, csv.stderr);
    const lines = csv.stdout.trim().split('\r\n');
    assert.equal(lines[0].split(',')[0], 'model');
    assert.ok(lines.some((l) => l.startsWith('gpt-4o-mini,4,')), csv.stdout);
  });
});

describe('tollgate analytics on a local store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-analytics-cli-'));
  const db = join(dir, 'a.db');
  const config = join(dir, 'tollgate.yaml');
  const events = analyticsEvents(60, 'cli');
  before(async () => {
    const store = await openSqliteEventStore(db);
    await store.append(events);
    await store.close();
    writeFileSync(config, `storage: "sqlite://${db}"\n`);
  });
  const run = (args: string[]) => spawnSync(process.execPath, [BIN, 'analytics', '--config', config, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' }, timeout: 20_000 });
  const range = ['--from', new Date(events[0].time - 86_400_000).toISOString(), '--to', new Date(events[0].time + 86_400_000).toISOString()];

  test('a readable table by default, with a total row', () => {
    const r = run([...range, '--group-by', 'provider,model']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /provider.*model.*requests.*cost/);
    assert.match(r.stdout, /claude-sonnet-4-5/);
    assert.match(r.stdout, new RegExp(`total\\s*│[^\\n]*│\\s*60\\s*│`));
  });

  test('--format csv --out FILE and --format json; bad flags exit 2', () => {
    const out = join(dir, 'usage.csv');
    assert.equal(run([...range, '--group-by', 'tenant', '--format', 'csv', '--out', out]).status, 0);
    const lines = readFileSync(out, 'utf8').trim().split('\r\n');
    assert.equal(lines[0].split(',')[0], 'tenant');
    assert.equal(lines.length, 4);
    const json = JSON.parse(run([...range, '--group-by', 'operation', '--format', 'json']).stdout) as Array<{ requests: number; tokensIn: number }>;
    assert.equal(json.reduce((a, r) => a + r.requests, 0), 60);
    assert.equal(json.reduce((a, r) => a + r.tokensIn, 0), events.reduce((a, e) => a + e.tokensIn, 0));
    assert.equal(run(['--group-by', 'user']).status, 2);
    assert.equal(run(['--format', 'xml']).status, 2);
    assert.equal(run(['--today', '--week']).status, 2);
  });
});

describe('analytics without a log store', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: () => ({ storage: 'none://' }) });
  });
  after(async () => { await h.close(); });

  test('answers log_store_unavailable (503) from loopback without an admin key', async () => {
    for (const path of ['/api/analytics/usage', '/api/gateway/metrics']) {
      const r = await raw(`${h.gateway.url}${path}`, { method: 'GET' });
      assert.equal(r.status, 503, path);
      assert.equal((r.json().error as { code: string }).code, 'log_store_unavailable');
    }
  });
});
