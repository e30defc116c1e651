/**
 * End-to-end metering and the request log: every request leaves exactly one row (L4), cost is
 * exact integer micro-USD for streamed and non-streamed calls alike and per provider type,
 * partial streams bill what was delivered, unknown prices stay unknown, opted-out requests leave
 * no row, odd bytes still produce a row (B5), and PII/secret canaries planted everywhere never
 * appear raw in the log store, stdout, the log API or error answers (S6/S7).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { CANARIES, findLeaks } from '../../src/privacy/canaries.js';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { EXACT_PRICING } from './exact-pricing.js';
import { CHAT_MODELS, startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const stdout: string[] = [];
const capture = new Writable({ write(chunk, _enc, cb) { stdout.push(String(chunk)); cb(); } });

let h: Harness;
before(async () => {
  h = await startHarness({
    logger: pino({ level: 'info' }, capture),
    requestLog: (text) => { stdout.push(text); },
    config: () => ({
      pricing: EXACT_PRICING, // exact integer costs (exact-pricing.ts)
      logging: { requests: true, queue: { flushMs: 10 } },
    }),
  });
});
after(async () => { await h.close(); });

async function rows(filter: Record<string, string> = {}): Promise<UsageEvent[]> {
  await h.gateway.services.events.flush();
  const out: UsageEvent[] = [];
  for await (const e of h.gateway.services.store!.scan(filter)) out.push(e);
  return out;
}

async function row(requestId: string): Promise<UsageEvent> {
  const found = await rows({ requestId });
  assert.equal(found.length, 1, `exactly one row for ${requestId}`);
  return found[0];
}

const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'Hello there, gateway!' }], ...extra });
let seq = 0;
const rid = (tag: string) => `${tag}-${process.pid}-${++seq}-abcdef`;

describe('cost per call', () => {
  const priced: Array<[string, number, number]> = [['openai', 1, 2], ['anthropic', 3, 15], ['workers-ai', 5, 7], ['azure', 11, 13]];
  for (const [provider, inPrice, outPrice] of priced) {
    test(`${provider}: non-streamed cost is exact and streamed cost equals it`, async () => {
      const id1 = rid(`${provider}-plain`);
      const plain = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(CHAT_MODELS[provider]), { 'x-request-id': id1 });
      assert.equal(plain.status, 200);
      const usage = plain.json().usage as { prompt_tokens: number; completion_tokens: number };
      const expected = usage.prompt_tokens * inPrice + usage.completion_tokens * outPrice;
      assert.equal(plain.headers['x-tollgate-cost-usd'], (expected / 1e6).toFixed(6));
      const id2 = rid(`${provider}-stream`);
      const streamed = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(CHAT_MODELS[provider], { stream: true }), { 'x-request-id': id2 });
      assert.equal(streamed.status, 200);
      const [a, b] = [await row(id1), await row(id2)];
      assert.equal(a.costMicros, expected);
      assert.equal(b.costMicros, expected, 'a stream costs what the same answer costs unstreamed');
      assert.equal(b.tokensOut, usage.completion_tokens);
      assert.equal(b.stream, true);
      assert.equal(b.estimated, false);
    });
  }

  test('a model without a price is recorded as unknown, not zero', async () => {
    const id = rid('unpriced');
    await postJson(`${h.gateway.url}/v1/chat/completions`, chat('compat/some-local-model'), { 'x-request-id': id });
    const r = await row(id);
    assert.equal(r.costMicros, null);
    assert.ok(r.tokensIn > 0);
  });

  test('a cut stream bills the tokens it delivered and is marked partial', async () => {
    const id = rid('cut');
    // Scripted through the mock's queue so the model name (and so its price) stays the real one.
    h.mock.script({ match: { model: 'gpt-4o-mini' }, steps: [{ chunks: 8, cutAfter: 4 }] });
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(CHAT_MODELS.openai, { stream: true }), { 'x-request-id': id });
    assert.equal(r.status, 200);
    const e = await row(id);
    assert.equal(e.partial, true);
    assert.equal(e.errorCode, 'upstream_stream_interrupted');
    assert.ok(e.tokensOut > 0 && e.tokensOut < 8);
    assert.ok((e.costMicros ?? 0) > 0);
    assert.equal(e.estimated, true);
  });

  /** Polls for the row of a request the client left: it is written once the gateway notices. */
  async function rowEventually(id: string): Promise<UsageEvent> {
    for (let i = 0; i < 100; i++) {
      const found = await rows({ requestId: id });
      if (found.length > 0) {
        assert.equal(found.length, 1, `exactly one row for ${id}`);
        return found[0];
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no row for ${id}`);
  }

  describe('a client that leaves gets a 499 row billed for what was done (F10)', () => {
    test('streaming: the chunks delivered before the disconnect', async () => {
      const id = rid('left-stream');
      h.mock.script({ match: { model: 'gpt-4o-mini' }, steps: [{ chunks: 20, chunkDelayMs: 100 }] });
      const ac = new AbortController();
      const res = await fetch(`${h.gateway.url}/v1/chat/completions`, {
        method: 'POST', signal: ac.signal,
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify(chat(CHAT_MODELS.openai, { stream: true })),
      });
      const reader = res.body!.getReader();
      let seen = '';
      // The first chunk only opens the assistant message; wait for a few that carry text.
      while (!/"content":"[^"]+"[\s\S]*"content":"[^"]+"/.test(seen)) seen += Buffer.from((await reader.read()).value ?? []).toString();
      ac.abort();
      await reader.cancel().catch(() => undefined);
      const e = await rowEventually(id);
      assert.equal(e.status, 499);
      assert.equal(e.errorCode, 'client_closed');
      assert.equal(e.stream, true);
      assert.equal(e.partial, true);
      assert.equal(e.estimated, true);
      assert.ok(e.tokensIn > 0, 'the prompt was sent upstream, so it is billed');
      assert.ok(e.tokensOut >= 1 && e.tokensOut < 20, `billed ${e.tokensOut} output tokens of 20 chunks`);
      assert.ok((e.costMicros ?? 0) > 0);
    });

    test('non-streaming: nothing was delivered, nothing is billed', async () => {
      const id = rid('left-json');
      h.mock.script({ match: { model: 'gpt-4o-mini' }, steps: [{ delayMs: 3000 }] });
      const ac = new AbortController();
      const before = h.mock.attempts().length;
      const pending = fetch(`${h.gateway.url}/v1/chat/completions`, {
        method: 'POST', signal: ac.signal,
        headers: { 'content-type': 'application/json', 'x-request-id': id },
        body: JSON.stringify(chat(CHAT_MODELS.openai)),
      }).catch(() => undefined);
      while (h.mock.attempts().length === before) await new Promise((r) => setTimeout(r, 20));
      ac.abort();
      await pending;
      const e = await rowEventually(id);
      assert.equal(e.status, 499);
      assert.equal(e.errorCode, 'client_closed');
      assert.equal(e.stream, false);
      // Nothing was delivered, and a provider that did not answer reported nothing: the row
      // bills nothing rather than guess (docs/metering.md, rule 3 and its known gap).
      assert.equal(e.tokensOut, 0);
      assert.equal(e.costMicros, 0);
      assert.equal(e.partial, false);
    });
  });

  test('a stream that stalls mid-way is abandoned, marked partial and billed for what it delivered (F6)', async () => {
    const id = rid('stall');
    h.mock.script({ match: { model: 'gpt-4o-mini' }, steps: [{ chunks: 8, stallAfter: 4 }] });
    const before = h.mock.attempts().length;
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, chat(CHAT_MODELS.openai, { stream: true }), { 'x-request-id': id });
    assert.equal(r.status, 200);
    assert.ok(!r.text.includes('[DONE]'));
    const e = await row(id);
    assert.equal(e.partial, true);
    assert.equal(e.errorCode, 'upstream_timeout');
    assert.ok(e.tokensOut > 0 && e.tokensOut < 8, `billed ${e.tokensOut} output tokens`);
    assert.ok((e.costMicros ?? 0) > 0);
    assert.equal(e.estimated, true);
    const closed = () => h.mock.attempts()[before]?.closedByClient === true;
    for (let i = 0; i < 50 && !closed(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(closed(), 'the stalled upstream stream was closed');
  });

  test('a custom cost header replaces the catalogue price', async () => {
    const id = rid('custom');
    await postJson(`${h.gateway.url}/v1/chat/completions`, chat(CHAT_MODELS.openai), { 'x-request-id': id, 'cf-aig-custom-cost': '{"total_cost":0.25}' });
    assert.equal((await row(id)).costMicros, 250_000);
  });
});

describe('one row per request', () => {
  test('L4: N mixed requests leave exactly N rows and the summed cost is exact', async () => {
    const tag = `l4-${process.pid}`;
    const calls = Array.from({ length: 120 }, (_, i) => {
      const kind = i % 4;
      const model = kind === 3 ? `${CHAT_MODELS.openai}~status=500` : CHAT_MODELS.openai;
      return postJson(`${h.gateway.url}/v1/chat/completions`, chat(model, { stream: kind === 1 }), { 'x-request-id': `${tag}-${i}-xxxxxxxx`, 'x-tollgate-operation': tag });
    });
    const answers = await Promise.all(calls);
    const expected = answers.reduce((sum, a) => sum + (a.status === 200 && a.headers['x-tollgate-cost-usd'] ? Math.round(Number(a.headers['x-tollgate-cost-usd']) * 1e6) : 0), 0);
    const found = await rows({ operation: tag });
    assert.equal(found.length, 120);
    assert.equal(new Set(found.map((r) => r.requestId)).size, 120);
    const streamed = found.filter((r) => r.stream);
    assert.equal(streamed.length, 30);
    const streamedCost = streamed.reduce((s, r) => s + (r.costMicros ?? 0), 0);
    assert.ok(streamed.every((r) => r.tokensOut > 0 && (r.costMicros ?? 0) > 0), 'streamed rows have tokens and cost');
    const total = found.reduce((s, r) => s + (r.costMicros ?? 0), 0);
    assert.equal(total, expected + streamedCost);
    // The first failures answer 502; once the target's breaker opens the rest fail fast with 503.
    assert.equal(found.filter((r) => r.status === 502 || r.status === 503).length, 30);
  });

  test('a request that asked not to be logged leaves no row', async () => {
    const id = rid('nolog');
    await postJson(`${h.gateway.url}/v1/chat/completions`, chat(CHAT_MODELS.openai), { 'x-request-id': id, 'x-tollgate-collect-log': 'false' });
    assert.equal((await rows({ requestId: id })).length, 0);
  });

  test('B5: NUL and invalid UTF-8 in user and content still produce a row', async () => {
    const id = rid('b5');
    const body = Buffer.concat([Buffer.from('{"model":"openai/gpt-4o-mini","user":"u\\u0000x","messages":[{"role":"user","content":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('\\u0000b"}]}')]);
    const r = await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json', 'x-request-id': id }, body });
    assert.equal(r.status, 200);
    const e = await row(id);
    assert.equal(e.status, 200);
  });

  test('errors before any provider call are rows too, at zero cost', async () => {
    const id = rid('badjson');
    await raw(`${h.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json', 'x-request-id': id }, body: '{nope' });
    const e = await row(id);
    assert.equal(e.status, 400);
    assert.equal(e.errorCode, 'invalid_json');
    assert.equal(e.costMicros, 0);
  });
});

describe('S6/S7: canaries never appear raw', () => {
  test('in messages, user, metadata and echoed upstream error bodies', async () => {
    const secrets = CANARIES.map((c) => c.value).join(' | ');
    const user = 'user_123456789';
    const metadata = JSON.stringify({ note: 'alice.smith@example.com', key: 'sk-Xk29fLq8Vn3Rt7Wb1Zc5Md0Hs4Jp6Ga9Ue2Yi8Ko3' });
    const ids: string[] = [];
    const send = async (model: string, stream = false) => {
      const id = rid('pii');
      ids.push(id);
      return postJson(`${h.gateway.url}/v1/chat/completions`, { model, user, stream, messages: [{ role: 'user', content: secrets }] }, { 'x-request-id': id, 'x-tollgate-metadata': metadata });
    };
    await send(CHAT_MODELS.openai);
    await send(CHAT_MODELS.anthropic, true);
    const errorMessage = 'bad key sk-Xk29fLq8Vn3Rt7Wb1Zc5Md0Hs4Jp6Ga9Ue2Yi8Ko3 for alice.smith@example.com card 4111 1111 1111 1111';
    h.mock.script({ match: { model: 'gpt-4o-mini' }, steps: [{ status: 400, errorMessage }] });
    const err = await send(CHAT_MODELS.openai);
    assert.equal(err.status, 400);
    assert.deepEqual(findLeaks(err.text).map((c) => c.value), [], 'error answer');
    const stored = JSON.stringify(await Promise.all(ids.map((id) => row(id))));
    assert.deepEqual(findLeaks(stored).map((c) => c.value), [], 'log store');
    const api = await raw(`${h.gateway.url}/api/logs?operation=&limit=1000`, { method: 'GET' });
    assert.equal(api.status, 200);
    assert.deepEqual(findLeaks(api.text).map((c) => c.value), [], 'log API');
    const out = stdout.join('');
    assert.ok(ids.every((id) => out.includes(id)), 'every request logged a line');
    assert.deepEqual(findLeaks(out).map((c) => c.value), [], 'stdout');
  });
});

describe('log API', () => {
  test('filters, pagination and streamed exports', async () => {
    const tag = `api-${process.pid}`;
    for (let i = 0; i < 5; i++) {
      await postJson(`${h.gateway.url}/v1/chat/completions`, chat(i === 4 ? `${CHAT_MODELS.openai}~status=429` : CHAT_MODELS.openai), { 'x-tollgate-operation': tag });
    }
    await h.gateway.services.events.flush();
    const first = (await raw(`${h.gateway.url}/api/logs?operation=${tag}&limit=2`, { method: 'GET' })).json() as { data: UsageEvent[]; nextCursor: string };
    assert.equal(first.data.length, 2);
    const second = (await raw(`${h.gateway.url}/api/logs?operation=${tag}&limit=10&cursor=${first.nextCursor}`, { method: 'GET' })).json() as { data: UsageEvent[]; nextCursor: string | null };
    assert.equal(second.data.length, 3);
    assert.equal(second.nextCursor, null);
    const limited = (await raw(`${h.gateway.url}/api/logs?operation=${tag}&status=429`, { method: 'GET' })).json() as { data: UsageEvent[] };
    assert.equal(limited.data.length, 1);
    const csv = await raw(`${h.gateway.url}/api/logs/export?format=csv&operation=${tag}`, { method: 'GET' });
    assert.match(String(csv.headers['content-disposition']), /attachment; filename="tollgate-logs-.*\.csv"/);
    assert.equal(csv.text.trim().split('\r\n').length, 6);
    const json = await raw(`${h.gateway.url}/api/logs/export?format=json&operation=${tag}`, { method: 'GET' });
    assert.equal((JSON.parse(json.text) as unknown[]).length, 5);
    const bad = await raw(`${h.gateway.url}/api/logs?status=abc`, { method: 'GET' });
    assert.equal(bad.status, 400);
  });
});
