/**
 * End-to-end, in-memory guard store: rate limits (headers in the draft syntax, integer
 * Retry-After, S9 spoofed X-Forwarded-For and key/model variants sharing one counter), budget
 * reservations (per-request cap refused before upstream, settlement to the actual cost on
 * success, upstream error and client abort, 402 details, the approaching signal), and S11 with
 * the official `openai` SDK: one attempt on budget exhaustion (402 and the 429
 * insufficient_quota variant), retries honoured on a rate-limit 429.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { dailyBudget, type BudgetFigures } from './budget-reader.js';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import type { BudgetSignal } from '../../src/guards/guard-runtime.js';

const ADMIN = 'admin-key-for-spend-guard-tests';
const KEY = 'tg-spend-guard-key-0123456789abcdef';
const RL_KEY = 'tg-rate-limit-key-0123456789abcdef';
const SDK_KEY = 'tg-sdk-key-0123456789abcdef0123456';
// USD per 1M tokens: 1,000 micro-USD per token keeps the arithmetic readable.
const PRICING = { 'openai/gpt-4o-mini': { input: 1000, output: 1000 }, 'openai/gpt-4o': { input: 1000, output: 1000 } };

let h: Harness;
const signals: BudgetSignal[] = [];
before(async () => {
  h = await startHarness({
    config: () => ({
      admin: { apiKey: ADMIN },
      pricing: PRICING,
      tenants: { acme: {}, rl: {} },
      keys: [
        { name: 'spender', tenant: 'acme', key: KEY, budget: { perRequest: 0.05, daily: 0.1 }, rateLimits: { perMinute: 1000 } },
        { name: 'limited', tenant: 'rl', key: RL_KEY, rateLimits: { perMinute: 3 } },
        { name: 'sdk', tenant: 'rl', key: SDK_KEY, rateLimits: { perSecond: 1 } },
      ],
      rateLimits: { default: { perMinute: 1000 }, permodel: { perMinute: 4, by: ['model'], operations: ['by-model'] } },
    }),
  });
  h.gateway.services.guards.signals.on('budget-approaching', (s: BudgetSignal) => signals.push(s));
});
after(async () => { await h.close(); });

const url = (p: string): string => `${h.gateway.url}${p}`;
const auth = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
const chat = (extra: Record<string, unknown> = {}) => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user' as const, content: 'hi' }], max_tokens: 10, ...extra });

const budget = (): Promise<BudgetFigures> => dailyBudget(h, ADMIN, 'acme', 'spender');

describe('rate limits', () => {
  test('the limit holds; RateLimit headers count down, never below zero; 429 has an integer Retry-After', async () => {
    const seen: Array<{ status: number; ratelimit: string; retryAfter?: string; shouldRetry?: string }> = [];
    for (let i = 0; i < 5; i++) {
      const r = await postJson(url('/v1/chat/completions'), chat(), auth(RL_KEY));
      seen.push({ status: r.status, ratelimit: String(r.headers.ratelimit), retryAfter: r.headers['retry-after'] as string, shouldRetry: r.headers['x-should-retry'] as string });
      if (i === 0) assert.match(String(r.headers['ratelimit-policy']), /"key-1m";q=3;w=60/);
    }
    assert.deepEqual(seen.map((s) => s.status), [200, 200, 200, 429, 429]);
    assert.deepEqual(seen.map((s) => /;r=(-?\d+);/.exec(s.ratelimit)?.[1]), ['2', '1', '0', '0', '0']);
    for (const s of seen.slice(3)) {
      assert.match(s.retryAfter ?? '', /^[1-9]\d*$/);
      assert.ok(Number(s.retryAfter) <= 60);
      assert.equal(s.shouldRetry, 'true');
    }
  });

  test('S9: a spoofed X-Forwarded-For does not escape a per-IP limit', async () => {
    const g = await startHarness({ config: () => ({ rateLimits: { default: { perMinute: 2, by: ['ip'] } } }) });
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        statuses.push((await postJson(`${g.gateway.url}/v1/chat/completions`, chat(), { 'x-forwarded-for': `198.51.100.${i}`, forwarded: `for=198.51.100.${i}` })).status);
      }
      assert.deepEqual(statuses, [200, 200, 429, 429]);
    } finally {
      await g.close();
    }
  });

  test('S9: behind a configured trusted proxy the forwarded client address is the one counted', async () => {
    const g = await startHarness({ config: () => ({ server: { trustedProxies: ['127.0.0.1'] }, rateLimits: { default: { perMinute: 1, by: ['ip'] } } }) });
    try {
      const a = await postJson(`${g.gateway.url}/v1/chat/completions`, chat(), { 'x-forwarded-for': '198.51.100.1' });
      const b = await postJson(`${g.gateway.url}/v1/chat/completions`, chat(), { 'x-forwarded-for': '198.51.100.2' });
      const again = await postJson(`${g.gateway.url}/v1/chat/completions`, chat(), { 'x-forwarded-for': '6.6.6.6, 198.51.100.1' });
      assert.deepEqual([a.status, b.status, again.status], [200, 200, 429]);
    } finally {
      await g.close();
    }
  });

  test('S9: key whitespace variants and model-name variants count against the same limit', async () => {
    const k = 'tg-variant-key-0123456789abcdef0123';
    const g = await startHarness({ config: () => ({ keys: [{ name: 'v', tenant: 't', key: k, rateLimits: { perMinute: 2 } }], rateLimits: { default: { perMinute: 100 } } }) });
    try {
      const statuses = [];
      for (const header of [`Bearer ${k}`, `Bearer   ${k}  `, `bearer ${k}`, `Bearer ${k.toUpperCase()}`]) {
        statuses.push((await raw(`${g.gateway.url}/v1/chat/completions`, { headers: { 'content-type': 'application/json', authorization: header }, body: JSON.stringify(chat()) })).status);
      }
      assert.deepEqual(statuses, [200, 200, 429, 401], 'padded and lower-case scheme share the counter; a case variant of the key is no key');
    } finally {
      await g.close();
    }
    // A per-model class: the route alias `smart` serves openai/gpt-4o-mini first, so both count once each.
    const byModel = [];
    for (const model of ['openai/gpt-4o-mini', 'smart', 'openai/gpt-4o-mini', 'smart', 'smart']) {
      byModel.push((await postJson(url('/v1/chat/completions'), chat({ model }), { ...auth(KEY), 'x-tollgate-operation': 'by-model' })).status);
    }
    assert.deepEqual(byModel, [200, 200, 200, 200, 429]);
  });

  test('tokensPerMinute: worst case reserved up front, settled to actual usage', async () => {
    const k = 'tg-token-key-0123456789abcdef0123456';
    const g = await startHarness({ config: () => ({ keys: [{ name: 'tok', tenant: 't', key: k, rateLimits: { tokensPerMinute: 100 } }], rateLimits: { default: { perMinute: 1000 } } }) });
    try {
      // Stay inside one UTC minute (the token window) for the whole test.
      const left = 60_000 - (Date.now() % 60_000);
      if (left < 5_000) await new Promise((r) => setTimeout(r, left + 50));
      const send = (max: number) => postJson(`${g.gateway.url}/v1/chat/completions`, chat({ max_tokens: max }), auth(k));
      g.mock.resetAttempts();
      const tooBig = await send(200);
      assert.equal(tooBig.status, 429, 'the worst case alone exceeds the minute');
      assert.equal(g.mock.attempts().length, 0);
      let accepted = 0;
      let refused: Awaited<ReturnType<typeof send>> | undefined;
      while (!refused && accepted < 40) {
        const r = await send(10);
        if (r.status === 200) accepted++;
        else refused = r;
        await g.gateway.services.guards.idle();
      }
      // The mock bills 1 input + 5 output tokens per call; the reservation is ~10 + the estimated input.
      assert.ok(accepted >= 10, `settling to actual usage frees room (accepted ${accepted})`);
      assert.ok(accepted * 6 <= 100);
      assert.equal(refused?.status, 429);
      assert.equal((refused?.json().error as { code: string }).code, 'rate_limit_exceeded');
      assert.match(String(refused?.headers['retry-after']), /^[1-9]\d*$/);
      assert.ok(Number(refused?.headers['retry-after']) <= 60);
    } finally {
      await g.close();
    }
  });

  test('S11: the SDK honours Retry-After on a rate-limit 429 and succeeds on its retry', async () => {
    let attempts = 0;
    const client = new OpenAI({
      baseURL: `${h.gateway.url}/v1`, apiKey: SDK_KEY, maxRetries: 2,
      fetch: (input, init) => { attempts++; return fetch(input, init); },
    });
    await client.chat.completions.create(chat());
    const t0 = Date.now();
    const { response } = await client.chat.completions.create(chat()).withResponse();
    assert.equal(response.status, 200);
    assert.equal(attempts, 3, 'one 429, then the retry after Retry-After');
    assert.ok(Date.now() - t0 >= 900, 'the SDK waited for Retry-After (1 s) before retrying');
  });
});

describe('budgets', () => {
  test('a request over the per-request cap is refused before any upstream call', async () => {
    h.mock.resetAttempts();
    const r = await postJson(url('/v1/chat/completions'), chat({ max_tokens: 100_000 }), auth(KEY));
    assert.equal(r.status, 402);
    assert.equal((r.json().error as { code: string }).code, 'request_cost_too_high');
    assert.equal(h.mock.attempts().length, 0);
  });

  test('success settles to the actual cost; an upstream error and a client abort settle to zero', async () => {
    const before = await budget();
    const ok = await postJson(url('/v1/chat/completions'), chat(), auth(KEY));
    assert.equal(ok.status, 200);
    const cost = Math.round(Number(ok.headers['x-tollgate-cost-usd']) * 1e6);
    const afterOk = await budget();
    assert.equal(afterOk.spentMicros - before.spentMicros, cost);
    assert.equal(afterOk.reservedMicros, 0);

    h.mock.script({ match: { model: 'gpt-4o' }, steps: [{ status: 400 }] });
    const failed = await postJson(url('/v1/chat/completions'), chat({ model: 'openai/gpt-4o' }), auth(KEY));
    assert.equal(failed.status, 400);
    h.mock.script({ match: { model: 'gpt-4o' }, steps: [{ hang: true }] });
    const controller = new AbortController();
    const pending = fetch(url('/v1/chat/completions'), { method: 'POST', headers: { 'content-type': 'application/json', ...auth(KEY) }, body: JSON.stringify(chat({ model: 'openai/gpt-4o' })), signal: controller.signal });
    await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    await assert.rejects(pending);
    await new Promise((r) => setTimeout(r, 100));
    const end = await budget();
    assert.equal(end.spentMicros, afterOk.spentMicros, 'nothing billed for the failed and the aborted call');
    assert.equal(end.reservedMicros, 0, 'every reservation was released');
  });

  test('S11: an exhausted budget is a 402 with details, and the SDK makes exactly one attempt', async () => {
    let attempts = 0;
    const client = new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: KEY, maxRetries: 3, fetch: (i, init) => { attempts++; return fetch(i, init); } });
    let refused: unknown;
    for (let i = 0; i < 40 && refused === undefined; i++) {
      attempts = 0;
      await client.chat.completions.create(chat()).catch((err: unknown) => { refused = err; });
    }
    assert.ok(refused instanceof OpenAI.APIError);
    assert.equal(refused.status, 402);
    assert.equal(refused.code, 'budget_exceeded');
    assert.match(refused.message, /daily budget of key "spender" is exhausted: limit \$0\.100000, spent or reserved \$0\.\d+, resets at \d{4}-/);
    assert.equal(attempts, 1, 'x-should-retry: false — one attempt only');
    const state = await budget();
    assert.ok(state.spentMicros <= 100_000, 'never more than the budget');
    assert.ok(signals.some((s) => s.counter.includes('key:config%3Aspender') && s.usedMicros >= 80_000), 'the 80% signal fired');
  });

  test('B9: bad parameters are refused (400, naming the field) before any budget work', async () => {
    const k = 'tg-b9-key-0123456789abcdef0123456789';
    const g = await startHarness({ config: () => ({ pricing: PRICING, keys: [{ name: 'b9', tenant: 't', key: k, budget: { daily: 0.000001 } }] }) });
    try {
      // The budget refuses any valid call; a bad one must fail validation first, and reserve nothing.
      const valid = await postJson(`${g.gateway.url}/v1/chat/completions`, chat(), auth(k));
      assert.equal(valid.status, 402);
      for (const [extra, param] of [[{ max_tokens: -1 }, 'max_tokens'], [{ temperature: 9 }, 'temperature'], [{ n: 1000 }, 'n']] as const) {
        const r = await postJson(`${g.gateway.url}/v1/chat/completions`, chat(extra), auth(k));
        assert.equal(r.status, 400, JSON.stringify(extra));
        assert.equal((r.json().error as { param: string }).param, param);
      }
      assert.equal(g.mock.attempts().length, 0);
    } finally {
      await g.close();
    }
  });

  test('S11: with exhaustedStatus 429 the SDK sees insufficient_quota and still makes one attempt', async () => {
    const k = 'tg-quota-key-0123456789abcdef012345';
    const g = await startHarness({ config: () => ({ pricing: PRICING, budgets: { exhaustedStatus: 429 }, keys: [{ name: 'q', tenant: 't', key: k, budget: { daily: 0.01 } }] }) });
    try {
      let attempts = 0;
      const client = new OpenAI({ baseURL: `${g.gateway.url}/v1`, apiKey: k, maxRetries: 3, fetch: (i, init) => { attempts++; return fetch(i, init); } });
      const err = await client.chat.completions.create(chat()).then(() => undefined, (e: unknown) => e);
      assert.ok(err instanceof OpenAI.RateLimitError);
      assert.equal(err.code, 'insufficient_quota');
      assert.equal(err.headers?.get('x-should-retry'), 'false');
      assert.equal(attempts, 1);
    } finally {
      await g.close();
    }
  });
});
