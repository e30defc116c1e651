/**
 * End-to-end guards on native pass-through (in-memory guard store): a key's model allowlist
 * applies to the native model, its rate limit answers 429 with Retry-After and the RateLimit
 * headers, its budget reserves the worst case before forwarding and refuses the over-limit
 * call (no upstream attempt), settles to the exact cost, counts the native output cap and
 * Anthropic's system prompt in the worst case, and refuses a body the gateway cannot price
 * while a budget is in force. An early refusal honours `x-tollgate-collect-log`.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { dailyBudget, type BudgetFigures } from './budget-reader.js';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const ADMIN = 'admin-key-for-passthrough-guards';
const BUDGET_KEY = 'tg-pt-budget-key-0123456789abcdef0';
const RL_KEY = 'tg-pt-ratelimit-key-0123456789abcd';
const ALLOW_KEY = 'tg-pt-allowlist-key-0123456789abcd';
const CAP_KEY = 'tg-pt-cap-key-0123456789abcdef01234';
// USD per 1M tokens: 1,000 micro-USD per token keeps the arithmetic readable.
const PRICING = { 'openai/gpt-4o-mini': { input: 1000, output: 1000 }, 'anthropic/claude-sonnet-4-5': { input: 1000, output: 1000 } };

let h: Harness;
before(async () => {
  h = await startHarness({
    config: () => ({
      admin: { apiKey: ADMIN },
      pricing: PRICING,
      tenants: { acme: {} },
      keys: [
        { name: 'pt-budget', tenant: 'acme', key: BUDGET_KEY, budget: { daily: 0.02 } },
        { name: 'pt-limited', tenant: 'acme', key: RL_KEY, rateLimits: { perMinute: 2 } },
        { name: 'pt-allow', tenant: 'acme', key: ALLOW_KEY, models: ['openai/gpt-4o-mini'] },
        { name: 'pt-cap', tenant: 'acme', key: CAP_KEY, budget: { perRequest: 0.05 } },
      ],
    }),
  });
});
after(async () => { await h.close(); });
beforeEach(() => h.mock.resetAttempts());

const url = (p: string): string => `${h.gateway.url}${p}`;
const auth = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
// The mock bills 1 input token for "hi" and 5 output tokens.
const chat = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], max_tokens: 10, ...extra });
const code = (r: { json(): Record<string, unknown> }): string => (r.json().error as { code: string }).code;

const spent = (): Promise<BudgetFigures> => dailyBudget(h, ADMIN, 'acme', 'pt-budget');

describe('budgets', () => {
  test('a body the gateway cannot price is refused before any upstream call', async () => {
    const r = await postJson(url('/openai/chat/completions'), chat('gpt-unpriced'), auth(BUDGET_KEY));
    assert.equal(r.status, 402);
    assert.equal(code(r), 'request_cost_too_high');
    const images = await postJson(url('/openai/images/generations'), { prompt: 'a cat' }, auth(BUDGET_KEY));
    assert.equal(code(images), 'request_cost_too_high');
    assert.equal(h.mock.attempts().length, 0);
  });

  test('the worst case counts the native max_tokens and the Anthropic system prompt', async () => {
    // 50 tokens at 1,000 micro-USD each: a short call fits, a long system prompt or output does not.
    const fits = await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5'), auth(CAP_KEY));
    assert.equal(fits.status, 200);
    const system = await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5', { system: 'Be careful. '.repeat(30) }), auth(CAP_KEY));
    assert.equal(code(system), 'request_cost_too_high');
    const output = await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5', { max_tokens: 100 }), auth(CAP_KEY));
    assert.equal(code(output), 'request_cost_too_high');
    assert.equal(h.mock.attempts().length, 1);
  });

  test('settles to the exact cost, then refuses the call whose worst case no longer fits', async () => {
    const first = await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5'), auth(BUDGET_KEY));
    assert.equal(first.status, 200);
    const after1 = await spent();
    assert.equal(after1.spentMicros, 6_000);
    assert.equal(after1.reservedMicros, 0);
    // Worst case: the input bound plus max_tokens 10 → more than the $0.014 left of $0.02.
    const second = await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5'), auth(BUDGET_KEY));
    assert.equal(second.status, 402);
    assert.equal(code(second), 'budget_exceeded');
    assert.equal(h.mock.attempts().length, 1, 'the refused call never reached the provider');
    const id = `pt-budget-row-${process.pid}`;
    await postJson(url('/openai/chat/completions'), chat('gpt-4o-mini', { max_tokens: 2 }), { ...auth(BUDGET_KEY), 'x-request-id': id });
    await h.gateway.services.events.flush();
    const found: UsageEvent[] = [];
    for await (const e of h.gateway.services.store!.scan({ requestId: id })) found.push(e);
    assert.equal(found.length, 1);
    assert.equal(found[0].costMicros, 6_000);
    assert.equal((await spent()).spentMicros, 12_000);
  });
});

describe('rate limits and allowlists', () => {
  test('the key limit holds on pass-through; 429 carries Retry-After and RateLimit headers', async () => {
    const client = new OpenAI({ baseURL: url('/openai'), apiKey: RL_KEY, maxRetries: 0, timeout: 10_000 });
    const ok = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.match(String(ok.response.headers.get('ratelimit')), /;r=1;/);
    assert.match(String(ok.response.headers.get('ratelimit-policy')), /"key-1m";q=2;w=60/);
    await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5'), auth(RL_KEY));
    const r = await postJson(url('/openai/chat/completions'), chat('gpt-4o-mini'), auth(RL_KEY));
    assert.equal(r.status, 429);
    assert.equal(code(r), 'rate_limit_exceeded');
    assert.match(String(r.headers['retry-after']), /^[1-9]\d*$/);
    assert.equal(r.headers['x-should-retry'], 'true');
    assert.match(String(r.headers.ratelimit), /;r=0;/);
    assert.ok(r.headers['ratelimit-policy']);
    assert.equal(h.mock.attempts().length, 2);
  });

  test('the model allowlist applies to the native model', async () => {
    const ok = await postJson(url('/openai/chat/completions'), chat('gpt-4o-mini'), auth(ALLOW_KEY));
    assert.equal(ok.status, 200);
    const refused = await postJson(url('/anthropic/v1/messages'), chat('claude-sonnet-4-5'), auth(ALLOW_KEY));
    assert.equal(refused.status, 403);
    assert.equal(code(refused), 'key_not_allowed');
    const list = await raw(url('/openai/models'), { method: 'GET', headers: auth(ALLOW_KEY) });
    assert.equal(code(list), 'key_not_allowed');
    assert.equal(h.mock.attempts().length, 1);
  });

  test('an auth failure sent with collect-log false leaves no row', async () => {
    const id = `pt-noauth-${process.pid}`;
    const r = await postJson(url('/v1/chat/completions'), chat('openai/gpt-4o-mini'), { 'x-request-id': id, 'x-tollgate-collect-log': 'false' });
    assert.equal(r.status, 401);
    const logged = `pt-noauth-logged-${process.pid}`;
    await postJson(url('/openai/chat/completions'), chat('gpt-4o-mini'), { 'x-request-id': logged });
    await h.gateway.services.events.flush();
    const ids: string[] = [];
    for await (const e of h.gateway.services.store!.scan({})) ids.push(e.requestId);
    assert.ok(ids.includes(logged));
    assert.ok(!ids.includes(id));
  });
});
