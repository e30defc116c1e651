/**
 * The per-provider cap on upstream work, end to end (L5, issue #10): a provider with
 * `maxConcurrent: 2, maxQueued: 2` in front of a slow fake upstream. Six concurrent calls
 * through the official `openai` SDK: four are served (two at once, two after waiting), two are
 * refused with 503 `provider_queue_full` + `Retry-After` before any served call finishes, and
 * never reach the provider; a route with a second target serves all six, the overflow by its
 * fallback. Queued calls leave the queue when the client goes away or the attempt's time runs
 * out, and every slot is given back afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { request } from 'undici';
import { startHarness, type Harness } from './harness.js';

const SLOW = 'gpt-4o-mini~delayMs=700';
let h: Harness;
before(async () => {
  h = await startHarness({
    config: (mockUrl) => ({
      providers: { capped: { type: 'openai', baseUrl: `${mockUrl}/v1`, apiKey: 'sk-capped', maxConcurrent: 2, maxQueued: 2 } },
      routes: { 'capped-route': { targets: [{ provider: 'capped', model: SLOW }, { provider: 'openai', model: 'gpt-4o-mini' }] } },
    }),
  });
});
after(async () => { await h.close(); });

const sdk = (): OpenAI => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });

interface Outcome { status: number; provider?: string | null; code?: string; retryAfter?: string | null; order: number }

/** Six concurrent chat calls; each outcome records the order in which it finished. */
async function six(model: string): Promise<Outcome[]> {
  let finished = 0;
  const client = sdk();
  return Promise.all(Array.from({ length: 6 }, async (): Promise<Outcome> => {
    try {
      const { response } = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
      return { status: response.status, provider: response.headers.get('x-tollgate-provider'), order: finished++ };
    } catch (err) {
      if (!(err instanceof OpenAI.APIError)) throw err;
      return { status: err.status ?? 0, code: err.code ?? undefined, retryAfter: err.headers?.get('retry-after'), order: finished++ };
    }
  }));
}

async function load(): Promise<{ shed: Record<string, number>; upstream: Record<string, { active: number; queued: number; refused: number }> }> {
  const res = await request(`${h.gateway.url}/health`);
  return ((await res.body.json()) as { components: { load: never } }).components.load;
}

async function settled(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const u = (await load()).upstream.capped;
    if (u.active === 0 && u.queued === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.fail('slots were not given back');
}

const cappedCalls = (): number => h.mock.attempts().filter((a) => a.headers?.authorization === 'Bearer sk-capped').length;

describe('providers.<name>.maxConcurrent / maxQueued', () => {
  test('cap 2, queue 2, six at once: four served, two refused fast with 503 + Retry-After, never sent upstream', async () => {
    const before = cappedCalls();
    const out = await six(`capped/${SLOW}`);
    const served = out.filter((o) => o.status === 200);
    const refused = out.filter((o) => o.status !== 200);
    assert.equal(served.length, 4, JSON.stringify(out));
    for (const r of refused) assert.deepEqual([r.status, r.code, r.retryAfter], [503, 'provider_queue_full', '1']);
    assert.ok(Math.max(...refused.map((r) => r.order)) < Math.min(...served.map((s) => s.order)), 'both refusals came before any served call finished');
    assert.equal(cappedCalls() - before, 4, 'the refused calls never reached the provider');
    await settled();
    assert.equal((await load()).upstream.capped.refused, 2);
    const metrics = await (await request(`${h.gateway.url}/metrics`)).body.text();
    assert.match(metrics, /ai_gateway_shed_requests_total\{reason="provider_queue"\} 2\b/);
  });

  test('a route with a fallback target serves all six: the overflow goes to the next target instead of queueing', async () => {
    const out = await six('capped-route');
    assert.deepEqual(out.map((o) => o.status), [200, 200, 200, 200, 200, 200]);
    const byProvider = out.reduce<Record<string, number>>((acc, o) => ({ ...acc, [String(o.provider)]: (acc[String(o.provider)] ?? 0) + 1 }), {});
    assert.deepEqual(byProvider, { capped: 4, openai: 2 });
    await settled();
  });

  test('a queued call leaves the queue when its client goes away or its time runs out', async () => {
    const body = (model: string) => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] });
    const post = (model: string, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}) =>
      request(`${h.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', ...init.headers }, body: body(model), signal: init.signal });
    const busy = [post('capped/gpt-4o-mini~delayMs=2000'), post('capped/gpt-4o-mini~delayMs=2000')];
    while ((await load()).upstream.capped.active < 2) await new Promise((r) => setTimeout(r, 10));
    const gone = new AbortController();
    const abandoned = post(`capped/${SLOW}`, { signal: gone.signal }).catch(() => 'aborted');
    const timed = post(`capped/${SLOW}`, { headers: { 'x-tollgate-request-timeout': '150', 'x-tollgate-max-attempts': '1' } });
    while ((await load()).upstream.capped.queued < 2) await new Promise((r) => setTimeout(r, 10));
    gone.abort();
    assert.equal(await abandoned, 'aborted');
    const late = await timed;
    assert.equal(late.statusCode, 504, 'the attempt ran out of time while waiting');
    await late.body.dump();
    assert.equal((await load()).upstream.capped.queued, 0, 'both left the queue while the busy calls still run');
    assert.equal((await load()).upstream.capped.active, 2);
    for (const r of await Promise.all(busy)) {
      assert.equal(r.statusCode, 200);
      await r.body.dump();
    }
    await settled();
  });
});
