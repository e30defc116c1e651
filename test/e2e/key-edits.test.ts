/**
 * End-to-end: editing keys and tenants after creation through the admin API
 * (`PATCH /api/admin/keys/{id}`, `PATCH /api/admin/tenants/{name}`), with the official `openai`
 * SDK as the client: a lowered rate limit answers 429 on the next request, a daily budget
 * lowered below today's spend refuses the next request, the secret never changes nor
 * reappears, and unknown or immutable fields are refused with `invalid_request` naming them.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

const ADMIN = 'admin-key-for-key-edit-tests';
// USD per 1M tokens: 1,000 micro-USD per token keeps the arithmetic readable.
const PRICING = { 'openai/gpt-4o-mini': { input: 1000, output: 1000 } };

let h: Harness;
before(async () => {
  h = await startHarness({ config: () => ({ admin: { apiKey: ADMIN }, pricing: PRICING, tenants: { fixed: {} } }) });
});
after(async () => { await h.close(); });

const url = (p: string): string => `${h.gateway.url}${p}`;
const admin = { authorization: `Bearer ${ADMIN}` };
const sdk = (key: string): OpenAI => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: key, maxRetries: 0 });
const ask = (key: string) => sdk(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });

async function createKey(body: Record<string, unknown>): Promise<{ id: string; key: string }> {
  const r = await postJson(url('/api/admin/keys'), { tenant: 'edits', ...body }, admin);
  assert.equal(r.status, 201, r.text);
  return r.json() as { id: string; key: string };
}

async function patch(path: string, body: unknown): Promise<{ status: number; json: () => Record<string, unknown>; text: string }> {
  return raw(url(path), { method: 'PATCH', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function dailySpent(name: string): Promise<number> {
  await h.gateway.services.guards.idle();
  const r = await raw(url('/api/admin/budgets?tenant=edits'), { method: 'GET', headers: admin });
  const rows = r.json().data as Array<{ name: string; window: string; spentMicros: number }>;
  return rows.find((x) => x.name === name && x.window === 'daily')!.spentMicros;
}

describe('PATCH /api/admin/keys/{id}', () => {
  test('a lowered rate limit applies to the next request: the SDK gets a 429', async () => {
    const { id, key } = await createKey({ name: 'rl-edit' });
    for (let i = 0; i < 3; i++) await ask(key); // the gateway default (60/min) lets these through
    const edited = await patch(`/api/admin/keys/${id}`, { rateLimits: { perMinute: 2 } });
    assert.equal(edited.status, 200, edited.text);
    assert.deepEqual(edited.json().settings, { rateLimits: { perMinute: 2 } });
    assert.ok(!edited.text.includes(key), 'the secret is not shown again');
    const first = await sdk(key).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    assert.match(String(first.response.headers.get('ratelimit-policy')), /"key-1m";q=2;w=60/);
    await ask(key);
    await assert.rejects(ask(key), (err: unknown) => err instanceof OpenAI.RateLimitError && err.status === 429);
  });

  test('a daily budget lowered below today\'s spend refuses the next request; a fresh key with it still passes', async () => {
    const { id, key } = await createKey({ name: 'budget-edit', budget: { daily: 10 } });
    for (let i = 0; i < 4; i++) await ask(key);
    const spent = await dailySpent('budget-edit');
    assert.ok(spent > 0, 'the requests were charged');
    const lowered = { daily: spent / 2 / 1e6 };
    const edited = await patch(`/api/admin/keys/${id}`, { budget: lowered });
    assert.equal(edited.status, 200, edited.text);
    await assert.rejects(ask(key), (err: unknown) => err instanceof OpenAI.APIError && err.status === 402 && /budget/i.test(err.message));
    // The refusal comes from what was spent, not from this request's own worst case.
    const fresh = await createKey({ name: 'budget-fresh', budget: lowered });
    assert.equal((await ask(fresh.key)).object, 'chat.completion');
  });

  test('name, models and labels change; null removes; the same secret keeps working', async () => {
    const { id, key } = await createKey({ name: 'models-edit', labels: { team: 'a' } });
    assert.equal((await ask(key)).object, 'chat.completion');
    const edited = await patch(`/api/admin/keys/${id}`, { name: 'renamed', models: ['smart'], labels: { team: 'b' } });
    assert.equal(edited.status, 200, edited.text);
    assert.equal(edited.json().name, 'renamed');
    await assert.rejects(ask(key), (err: unknown) => err instanceof OpenAI.PermissionDeniedError);
    const viaRoute = await sdk(key).chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }], max_tokens: 1 });
    assert.equal(viaRoute.object, 'chat.completion');
    assert.equal((await patch(`/api/admin/keys/${id}`, { models: null, labels: null })).status, 200);
    assert.equal((await ask(key)).object, 'chat.completion');
    const listed = await raw(url('/api/admin/keys?tenant=edits'), { method: 'GET', headers: admin });
    const row = (listed.json().data as Array<{ id: string; name: string; settings: unknown }>).find((k) => k.id === id);
    assert.deepEqual(row && { name: row.name, settings: row.settings }, { name: 'renamed', settings: {} });
  });

  test('unknown and immutable fields, empty edits and bad values are 400 naming the field; unknown ids 404; revoked keys stay revoked', async () => {
    const { id, key } = await createKey({ name: 'refusals' });
    for (const [body, param] of [[{ tenant: 'other' }, 'tenant'], [{ key: 'tg-x' }, 'key'], [{ budget: { tier: 'gold' } }, 'budget.tier'],
      [{ rateLimits: { perMinute: -1 } }, 'rateLimits.perMinute'], [{ rateLimits: { perWeek: 1 } }, 'rateLimits.perWeek']] as const) {
      const r = await patch(`/api/admin/keys/${id}`, body);
      assert.equal(r.status, 400, JSON.stringify(body));
      const error = r.json().error as { code: string; param?: string };
      assert.deepEqual([error.code, error.param], ['invalid_request', param], JSON.stringify(body));
    }
    assert.equal((await patch(`/api/admin/keys/${id}`, {})).status, 400);
    assert.equal((await patch('/api/admin/keys/key_nope', { name: 'x' })).status, 404);
    await raw(url(`/api/admin/keys/${id}`), { method: 'DELETE', headers: admin });
    assert.equal((await patch(`/api/admin/keys/${id}`, { name: 'back' })).status, 400);
    await assert.rejects(ask(key), OpenAI.AuthenticationError);
  });

  test('without the admin key an edit is refused', async () => {
    const { id, key } = await createKey({ name: 'guarded' });
    const r = await raw(url(`/api/admin/keys/${id}`), { method: 'PATCH', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: '{"rateLimits":{"perSecond":100}}' });
    assert.equal(r.status, 401);
  });
});

describe('PATCH /api/admin/tenants/{name}', () => {
  test('edits an admin tenant field by field; config and unknown tenants are refused', async () => {
    const put = await raw(url('/api/admin/tenants/edits'), { method: 'PUT', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify({ models: ['openai/gpt-4o-mini'] }) });
    assert.equal(put.status, 200, put.text);
    const { key } = await createKey({ name: 'tenant-member' });
    assert.equal((await ask(key)).object, 'chat.completion');
    const edited = await patch('/api/admin/tenants/edits', { rateLimits: { perMinute: 1 } });
    assert.deepEqual(edited.json(), { name: 'edits', settings: { models: ['openai/gpt-4o-mini'], rateLimits: { perMinute: 1 } } });
    assert.equal((await ask(key)).object, 'chat.completion');
    await assert.rejects(ask(key), OpenAI.RateLimitError);
    const dropped = await patch('/api/admin/tenants/edits', { rateLimits: null, budget: { tier: 'premium' } });
    assert.deepEqual(dropped.json().settings, { models: ['openai/gpt-4o-mini'], budget: { tier: 'premium' } });
    assert.equal((await patch('/api/admin/tenants/fixed', { models: ['smart'] })).status, 400, 'config tenant');
    assert.equal((await patch('/api/admin/tenants/nobody', { models: ['smart'] })).status, 404);
    assert.equal((await patch('/api/admin/tenants/edits', { name: 'x' })).status, 400);
  });
});
