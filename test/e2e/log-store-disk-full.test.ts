/**
 * F15 end to end: a real gateway whose request log cannot write (the store fails every append
 * with SQLITE_FULL, injected on the gateway's own store object; the real SQLITE_FULL from
 * `max_page_count` is covered in src/metering/store-sink-disk-full.test.ts) and whose spool
 * directory is unusable on the real file system (replaced by a plain file, so every spool write
 * fails). Requests keep succeeding, /health/ready and /health report the log store degraded,
 * `ai_gateway_log_store_write_errors_total` rises for both targets, and once space returns —
 * first for the spool, then for the store — the gateway's own timer moves the held events to the
 * spool and the spool into the store: every request id exactly once, nothing dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

async function send(h: Harness, id: string): Promise<void> {
  const r = await postJson(`${h.gateway.url}/v1/chat/completions`,
    { model: CHAT_MODELS.openai, messages: [{ role: 'user', content: 'disk full?' }] }, { 'x-request-id': id });
  assert.equal(r.status, 200, `${id}: ${r.text}`);
}

async function storedIds(h: Harness): Promise<string[]> {
  const ids: string[] = [];
  for await (const e of h.gateway.services.store!.scan({})) ids.push(e.requestId);
  return ids.sort();
}

function writeErrors(metrics: string, target: string): number {
  const line = metrics.split('\n').find((l) => l.startsWith(`ai_gateway_log_store_write_errors_total{target="${target}"}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

test('F15: log store and spool disk full: requests succeed, health degraded, errors counted, every row once after space returns', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'tollgate-f15-e2e-'));
  const spoolDir = join(dir, 'spool');
  const h = await startHarness({ config: () => ({ logging: { spoolDir } }) });
  t.after(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const tag = `f15-${process.pid}-${Date.now().toString(36)}`;
  const before = [1, 2, 3].map((i) => `${tag}-before-${i}`);
  for (const id of before) await send(h, id);
  await h.gateway.services.events.flush();
  assert.deepEqual(await storedIds(h), before.sort());

  // The disk fills up: the store answers SQLITE_FULL, the spool directory cannot be written.
  const store = h.gateway.services.store!;
  const append = store.append.bind(store);
  store.append = () => Promise.reject(Object.assign(new Error('SQLITE_FULL: database or disk is full'), { code: 'SQLITE_FULL' }));
  rmSync(spoolDir, { recursive: true, force: true });
  writeFileSync(spoolDir, 'not a directory');

  const during = Array.from({ length: 10 }, (_, i) => `${tag}-full-${i}`);
  for (const id of during) await send(h, id);
  await h.gateway.services.events.flush();
  const sink = h.gateway.services.storeSink!;
  assert.equal(sink.health().storeUp, false);
  assert.equal(sink.health().spoolUp, false);
  assert.equal(sink.health().heldEvents, during.length);

  const ready = await raw(`${h.gateway.url}/health/ready`, { method: 'GET' });
  assert.equal(ready.json().status, 'degraded');
  const health = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as { components: { logStore: { status: string; spoolUp: boolean } } };
  assert.equal(health.components.logStore.status, 'degraded');
  assert.equal(health.components.logStore.spoolUp, false);
  const metrics = (await raw(`${h.gateway.url}/metrics`, { method: 'GET' })).text;
  assert.ok(writeErrors(metrics, 'store') >= 1, 'store write errors counted');
  assert.ok(writeErrors(metrics, 'spool') >= 1, 'spool write errors counted');

  // Space returns on the spool's disk: the replay timer moves the held events into the spool.
  rmSync(spoolDir, { force: true });
  mkdirSync(spoolDir);
  await waitFor('held events spooled', () => sink.health().heldEvents === 0 && sink.health().spooledBytes > 0);
  assert.equal(sink.health().spoolUp, true);
  assert.equal(sink.health().storeUp, false);

  // And on the database's: the spool replays into the store.
  store.append = append;
  const all = [...before, ...during].sort();
  await waitFor('spool replayed', async () => sink.health().spooledBytes === 0 && (await storedIds(h)).length === all.length);
  assert.deepEqual(await storedIds(h), all, 'every request id stored exactly once');
  assert.equal(sink.health().spoolDropped, 0);
  assert.equal(sink.health().storeUp, true);
  assert.equal(h.gateway.services.events.stats.sinkFailures, 0, 'the sink absorbed the full disk itself');
  assert.equal((await raw(`${h.gateway.url}/health/ready`, { method: 'GET' })).json().status, 'ok');
});
