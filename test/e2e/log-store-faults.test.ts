/**
 * End-to-end faults of the request log on PostgreSQL (F13/F14): a real gateway whose `storage`
 * URL points at a TcpFaultProxy in front of the DATABASE_URL server, each test in its own schema
 * (dropped at the end) and its own spool directory. While the database refuses connections, or
 * accepts them and never answers, every request is still answered quickly — the request path
 * never waits for the log store — and the events wait in the spool; once the proxy forwards
 * again, the gateway's own replay timer (no restart, no manual replay) moves them into the store
 * so that exactly the expected request ids are stored, once each, and the spool ends empty. The
 * same holds for a gateway started while the database is unreachable. Rows are read straight
 * from PostgreSQL, not through the gateway's pool, so the observer never hangs with the fault.
 * Without DATABASE_URL these tests fail rather than skip.
 */
import { after, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { TcpFaultProxy, type ProxyMode } from '../../src/stores/testing/tcp-fault-proxy.js';
import { TestSchemas, testDatabaseUrl, withClient } from '../../src/stores/events/postgres-test-database.js';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson } from './http-client.js';

const schemas = new TestSchemas();
after(() => schemas.dropAll());

interface Rig {
  h: Harness;
  proxy: TcpFaultProxy;
  schema: string;
}

/** Gateway logging to a fresh schema through a fault proxy that starts in `mode`. */
async function startRig(t: TestContext, mode: ProxyMode = 'forward'): Promise<Rig> {
  const target = new URL(testDatabaseUrl());
  const proxy = await TcpFaultProxy.start(target.hostname, Number(target.port || 5432));
  proxy.setMode(mode);
  const { url, schema } = schemas.nextUrl();
  const storage = new URL(url);
  storage.hostname = '127.0.0.1';
  storage.port = String(proxy.port);
  const spoolDir = mkdtempSync(join(tmpdir(), 'tollgate-f13-spool-'));
  const h = await startHarness({ config: () => ({ storage: storage.toString(), logging: { spoolDir } }) });
  t.after(async () => {
    proxy.setMode('forward');
    await h.close();
    await proxy.close();
    rmSync(spoolDir, { recursive: true, force: true });
  });
  return { h, proxy, schema };
}

let seq = 0;
const ids = (tag: string, n: number): string[] =>
  Array.from({ length: n }, () => `${tag}-${process.pid}-${++seq}-${Math.random().toString(36).slice(2, 10)}`);

/** Sends one chat request; asserts a 200 and returns how long the answer took (ms). */
async function send(h: Harness, requestId: string): Promise<number> {
  const started = performance.now();
  const r = await postJson(`${h.gateway.url}/v1/chat/completions`,
    { model: CHAT_MODELS.openai, messages: [{ role: 'user', content: 'log me' }] }, { 'x-request-id': requestId });
  const ms = performance.now() - started;
  assert.equal(r.status, 200, `${requestId}: ${r.text}`);
  assert.equal(r.headers['x-request-id'], requestId);
  return ms;
}

function assertFast(latencies: number[], what: string): void {
  const slow = latencies.filter((ms) => ms >= 1000);
  assert.deepEqual(slow, [], `${what}: every answer under 1 s (max ${Math.round(Math.max(...latencies))} ms)`);
}

/** Request ids stored in the schema, one entry per row, sorted; [] before the table exists. */
async function storedIds(schema: string): Promise<string[]> {
  return withClient(async (c) => {
    try {
      const r = await c.query<{ request_id: string }>(`SELECT request_id FROM ${schema}.usage_events ORDER BY request_id`);
      return r.rows.map((row) => row.request_id);
    } catch (err) {
      if ((err as { code?: unknown }).code === '42P01' || (err as { code?: unknown }).code === '3F000') return [];
      throw err;
    }
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the store holds exactly `expected` and the spool is empty; returns the last rows seen. */
async function waitForRows(rig: Rig, expected: string[], timeoutMs: number): Promise<string[]> {
  const want = [...expected].sort();
  const deadline = Date.now() + timeoutMs;
  let rows: string[] = [];
  for (;;) {
    rows = await storedIds(rig.schema);
    const spooled = rig.h.gateway.services.storeSink!.health().spooledBytes;
    if ((rows.length === want.length && spooled === 0) || Date.now() > deadline) return rows;
    await sleep(100);
  }
}

/** Waits until the sink has given up on the store for at least one batch and spooled it. */
async function waitForSpool(rig: Rig, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (rig.h.gateway.services.storeSink!.health().spooledBytes === 0 && Date.now() < deadline) await sleep(25);
  const health = rig.h.gateway.services.storeSink!.health();
  assert.ok(health.spooledBytes > 0, 'the outage reached the spool');
  assert.equal(health.storeUp, false);
}

async function assertRecovered(rig: Rig, expected: string[], timeoutMs: number): Promise<void> {
  const rows = await waitForRows(rig, expected, timeoutMs);
  assert.equal(new Set(rows).size, rows.length, 'no request id stored twice');
  assert.deepEqual(rows, [...expected].sort(), 'exactly the requests sent are stored');
  const health = rig.h.gateway.services.storeSink!.health();
  assert.deepEqual({ ...health, writeErrors: undefined }, { storeUp: true, spooledBytes: 0, spoolDropped: 0, spoolUp: true, heldEvents: 0, writeErrors: undefined });
  const stats = rig.h.gateway.services.events.stats;
  assert.equal(stats.dropped, 0, 'the queue dropped nothing');
  assert.equal(stats.sinkFailures, 0, 'the store sink absorbed the outage itself');
}

test('F13: PostgreSQL refusing connections: requests stay fast, rows arrive once it is back', async (t) => {
  const rig = await startRig(t);
  const before = ids('f13-before', 3);
  for (const id of before) await send(rig.h, id);
  await rig.h.gateway.services.events.flush();
  assert.deepEqual(await storedIds(rig.schema), [...before].sort(), 'the store works before the outage');

  rig.proxy.setMode('refuse');
  const during = ids('f13-down', 12);
  const latencies: number[] = [];
  for (const id of during) latencies.push(await send(rig.h, id));
  assertFast(latencies, 'database refusing');
  await waitForSpool(rig, 2_500);
  assert.deepEqual(await storedIds(rig.schema), [...before].sort(), 'nothing reached the store during the outage');

  rig.proxy.setMode('forward');
  await assertRecovered(rig, [...before, ...during], 10_000);
});

test('F14: PostgreSQL hanging (black hole) during a burst: requests stay fast, nothing lost, queue bounded', async (t) => {
  const rig = await startRig(t);
  const before = ids('f14-before', 2);
  for (const id of before) await send(rig.h, id);
  await rig.h.gateway.services.events.flush();
  assert.equal((await storedIds(rig.schema)).length, 2);

  rig.proxy.setMode('blackhole');
  const burst = ids('f14-burst', 20);
  const first = await Promise.all(burst.slice(0, 10).map((id) => send(rig.h, id)));
  await sleep(300); // the first batch is now stuck on the hanging store
  const second = await Promise.all(burst.slice(10).map((id) => send(rig.h, id)));
  assertFast([...first, ...second], 'database hanging');
  await waitForSpool(rig, 3_500);
  assert.equal(rig.h.gateway.services.events.stats.dropped, 0);

  rig.proxy.setMode('forward');
  await assertRecovered(rig, [...before, ...burst], 15_000);
});

test('F13: a gateway started while PostgreSQL is unreachable serves, then stores the rows once it is back', async (t) => {
  const started = performance.now();
  const rig = await startRig(t, 'refuse');
  assert.ok(performance.now() - started < 1500, 'start does not wait for the database');
  const during = ids('f13-start', 6);
  const latencies: number[] = [];
  for (const id of during) latencies.push(await send(rig.h, id));
  assertFast(latencies, 'database unreachable since start');
  await waitForSpool(rig, 2_500);
  assert.deepEqual(await storedIds(rig.schema), []);

  rig.proxy.setMode('forward');
  const after = ids('f13-after', 2);
  for (const id of after) await send(rig.h, id);
  await assertRecovered(rig, [...during, ...after], 10_000);
});
