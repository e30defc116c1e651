/**
 * End-to-end metering and guarding of the OpenAI Responses API on native pass-through, with
 * the official `openai` SDK's `responses.create` as the client: JSON and streamed answers leave
 * a row with the provider's token counts and the exact micro-USD cost (on `/openai`, the
 * Cloudflare shape and Azure's `/openai/v1/responses`), cached input tokens are priced at the
 * cached-input rate, a stream cut before `response.completed` is billed partial by estimate
 * from the text it delivered, a budgeted key is served and its spend settles to the exact
 * cost, and a per-request budget below the worst case (a large `max_output_tokens`) refuses
 * with 402 before any upstream attempt.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { estimateTokens } from '../../src/metering/pricing/estimate.js';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { EXACT_PRICING } from './exact-pricing.js';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const ADMIN = 'admin-key-for-responses-tests';
const OPEN_KEY = 'tg-resp-open-key-0123456789abcdef01';
const BUDGET_KEY = 'tg-resp-budget-key-0123456789abcdef';
const CAP_KEY = 'tg-resp-cap-key-0123456789abcdef0123';

let h: Harness;
let sdk: OpenAI;
before(async () => {
  h = await startHarness({
    requestLog: () => undefined, // rows are read from the store; keep stdout quiet
    config: () => ({
      admin: { apiKey: ADMIN },
      pricing: EXACT_PRICING, // exact integer costs (exact-pricing.ts)
      logging: { requests: true, queue: { flushMs: 10 } },
      tenants: { acme: {} },
      keys: [
        { name: 'resp-open', tenant: 'acme', key: OPEN_KEY },
        { name: 'resp-budget', tenant: 'acme', key: BUDGET_KEY, budget: { daily: 0.001 } },
        // 100 micro-USD per request: a short answer fits, 1,000 output tokens at 2 each do not.
        { name: 'resp-cap', tenant: 'acme', key: CAP_KEY, budget: { perRequest: 0.0001 } },
      ],
    }),
  });
  sdk = client(OPEN_KEY);
});
after(async () => { await h.close(); });
beforeEach(() => h.mock.resetAttempts());

function client(key: string, base = '/openai'): OpenAI {
  return new OpenAI({ baseURL: `${h.gateway.url}${base}`, apiKey: key, maxRetries: 0, timeout: 10_000 });
}

async function row(requestId: string): Promise<UsageEvent> {
  await h.gateway.services.events.flush();
  const out: UsageEvent[] = [];
  for await (const e of h.gateway.services.store!.scan({ requestId })) out.push(e);
  assert.equal(out.length, 1, `exactly one row for ${requestId}`);
  return out[0];
}

let seq = 0;
const rid = (tag: string): string => `resp-${tag}-${process.pid}-${++seq}-abcdef`;
// The mock counts ceil((9 + 21) / 4) = 8 input tokens (instructions and input) and answers 5.
const REQUEST = { model: 'gpt-4o-mini', instructions: 'Be brief.', input: [{ role: 'user' as const, content: 'Hello there, gateway!' }] };
const IN = 8;
const OUT = 5;

function assertExact(e: UsageEvent, stream: boolean, cost: number, provider = 'openai', model = 'gpt-4o-mini'): void {
  assert.deepEqual(
    [e.endpoint, e.provider, e.model, e.stream, e.tokensIn, e.tokensOut, e.estimated, e.partial, e.costMicros],
    ['passthrough', provider, model, stream, IN, OUT, false, false, cost],
  );
}

describe('Responses API usage and cost', () => {
  test('JSON and stream through the SDK cost the same, exactly', async () => {
    const id1 = rid('json');
    const r = await sdk.responses.create(REQUEST, { headers: { 'x-request-id': id1 } });
    assert.match(r.output_text, /deterministic reply/);
    assertExact(await row(id1), false, IN * 1 + OUT * 2);
    const id2 = rid('stream');
    let text = '';
    for await (const event of await sdk.responses.create({ ...REQUEST, stream: true }, { headers: { 'x-request-id': id2 } })) {
      if (event.type === 'response.output_text.delta') text += event.delta;
    }
    assert.match(text, /deterministic reply/);
    assertExact(await row(id2), true, IN * 1 + OUT * 2);
  });

  test('cached input tokens are priced at the cached-input rate, JSON and stream', async () => {
    for (const stream of [false, true]) {
      const id = rid(`cached-${stream}`);
      const r = await postJson(`${h.gateway.url}/openai/responses`, { ...REQUEST, model: 'gpt-4.1', stream }, {
        authorization: `Bearer ${OPEN_KEY}`, 'x-request-id': id, 'x-mock-script': 'cachedTokens=6',
      });
      assert.equal(r.status, 200);
      const e = await row(id);
      assert.equal(e.tokensCached, 6);
      // 2 fresh input tokens at 4, 6 cached at 1, 5 output at 8.
      assertExact(e, stream, 2 * 4 + 6 * 1 + OUT * 8, 'openai', 'gpt-4.1');
    }
  });

  test('the Cloudflare shape and Azure /openai/v1/responses are priced by their provider', async () => {
    const id1 = rid('cf');
    const cf = await postJson(`${h.gateway.url}/v1/acct/gw/openai/responses`, { ...REQUEST, stream: true }, { authorization: `Bearer ${OPEN_KEY}`, 'x-request-id': id1 });
    assert.match(cf.text, /event: response\.completed/);
    assertExact(await row(id1), true, IN * 1 + OUT * 2);
    const id2 = rid('azure');
    const az = await postJson(`${h.gateway.url}/azure/openai/v1/responses`, { ...REQUEST, model: 'gpt-4o' }, { authorization: `Bearer ${OPEN_KEY}`, 'x-request-id': id2 });
    assert.equal(az.status, 200);
    assertExact(await row(id2), false, IN * 11 + OUT * 13, 'azure', 'gpt-4o');
  });

  test('a stream cut before response.completed is billed partial, by estimate of the text delivered', async () => {
    const id = rid('cut');
    // Frames 0-3 open the response; 4 and 5 are the first two text deltas; then the cut.
    const stream = await sdk.responses.create({ ...REQUEST, stream: true }, { headers: { 'x-request-id': id, 'x-mock-script': 'cutAfter=6' } });
    let text = '';
    await assert.rejects(async () => {
      for await (const event of stream) if (event.type === 'response.output_text.delta') text += event.delta;
    });
    assert.ok(text.length > 0 && !text.includes('upstream.'), `delivered "${text}"`);
    const e = await row(id);
    assert.equal(e.partial, true);
    assert.equal(e.estimated, true);
    assert.equal(e.tokensOut, estimateTokens(text));
    assert.ok(e.tokensIn > 0);
    assert.equal(e.costMicros, e.tokensIn * 1 + e.tokensOut * 2);
  });
});

async function budgetRow(): Promise<{ spentMicros: number; reservedMicros: number }> {
  await h.gateway.services.guards.idle();
  const r = await raw(`${h.gateway.url}/api/admin/budgets?tenant=acme`, { method: 'GET', headers: { authorization: `Bearer ${ADMIN}` } });
  const rows = r.json().data as Array<{ name: string; window: string; spentMicros: number; reservedMicros: number }>;
  return rows.find((x) => x.name === 'resp-budget' && x.window === 'daily')!;
}

describe('Responses API under budgets', () => {
  test('a budgeted key is served, and its spend settles to the exact cost of each call', async () => {
    const budgeted = client(BUDGET_KEY);
    const r = await budgeted.responses.create({ ...REQUEST, max_output_tokens: 50 });
    assert.equal(r.status, 'completed');
    const after1 = await budgetRow();
    assert.deepEqual([after1.spentMicros, after1.reservedMicros], [IN * 1 + OUT * 2, 0]);
    for await (const event of await budgeted.responses.create({ ...REQUEST, stream: true, max_output_tokens: 50 })) void event;
    const after2 = await budgetRow();
    assert.deepEqual([after2.spentMicros, after2.reservedMicros], [2 * (IN * 1 + OUT * 2), 0]);
    assert.equal(h.mock.attempts().length, 2);
  });

  test('a per-request budget below the worst case refuses with 402 before any upstream attempt', async () => {
    const capped = client(CAP_KEY);
    const fits = await capped.responses.create({ ...REQUEST, max_output_tokens: 10 });
    assert.equal(fits.status, 'completed');
    await assert.rejects(capped.responses.create({ ...REQUEST, max_output_tokens: 1000 }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.APIError);
      assert.equal(err.status, 402);
      assert.equal((err.error as { code?: string } | undefined)?.code, 'request_cost_too_high');
      return true;
    });
    // Long instructions are input too: they push a small output cap over the limit.
    const long = await postJson(`${h.gateway.url}/openai/responses`, { ...REQUEST, instructions: 'Be careful. '.repeat(40), max_output_tokens: 10 }, { authorization: `Bearer ${CAP_KEY}` });
    assert.equal(long.status, 402);
    assert.equal(h.mock.attempts().length, 1, 'only the call that fits reached the provider');
  });
});
