/**
 * End-to-end native pass-through: `/{provider}/…` and the Cloudflare AI Gateway URL shape reach
 * the provider's own API with the gateway's credentials (managed mode), hop-by-hop and gateway
 * headers stripped, and the answer streamed back untouched. In pass-through auth mode the
 * client's own key is what the provider sees.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';

describe('managed mode', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });
  beforeEach(() => h.mock.resetAttempts());

  test('/openai/chat/completions forwards verbatim with the gateway key', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };
    const r = await postJson(`${h.gateway.url}/openai/chat/completions`, body, {
      authorization: 'Bearer client-key', 'x-tollgate-operation': 'demo', 'proxy-authorization': 'Basic abc', 'x-custom': 'kept',
    });
    assert.equal(r.status, 200);
    assert.equal((r.json() as { object: string }).object, 'chat.completion');
    const a = h.mock.attempts()[0];
    assert.equal(a.path, '/v1/chat/completions');
    assert.equal(a.headers.authorization, 'Bearer sk-test-openai-key');
    assert.equal(a.headers['x-custom'], 'kept');
    assert.equal(a.headers['proxy-authorization'], undefined);
    assert.equal(a.headers['x-tollgate-operation'], undefined);
    assert.equal(r.headers['x-tollgate-provider'], 'openai');
  });

  test('the Cloudflare AI Gateway shape reaches anthropic natively', async () => {
    const body = { model: 'claude-sonnet-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] };
    const r = await postJson(`${h.gateway.url}/v1/acct123/my-gateway/anthropic/v1/messages`, body, { 'x-api-key': 'client-anthropic-key' });
    assert.equal(r.status, 200);
    assert.equal((r.json() as { type: string }).type, 'message');
    const a = h.mock.attempts()[0];
    assert.equal(a.path, '/v1/messages');
    assert.equal(a.headers['x-api-key'], 'sk-ant-test-key');
  });

  test('workers-ai native run path', async () => {
    const r = await postJson(`${h.gateway.url}/workers-ai/@cf/meta/llama-3.1-8b-instruct`, { messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 200);
    assert.equal(h.mock.attempts()[0].path, '/client/v4/accounts/acct1/ai/run/@cf/meta/llama-3.1-8b-instruct');
    assert.equal(h.mock.attempts()[0].headers.authorization, 'Bearer cf-test-token');
  });

  test('streams pass through byte for byte', async () => {
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true };
    const direct = await postJson(`${h.mock.url}/v1/chat/completions`, body);
    const via = await postJson(`${h.gateway.url}/openai/chat/completions`, body);
    assert.equal(via.status, 200);
    const normalize = (t: string) => t.replace(/"(id|created)":("[^"]*"|\d+)/g, '');
    assert.equal(normalize(via.text), normalize(direct.text));
  });

  test('unknown provider in the path → 404 route_not_found', async () => {
    const r = await raw(`${h.gateway.url}/nosuch/v1/models`, { method: 'GET' });
    assert.equal(r.status, 404);
    assert.equal((r.json().error as { code: string }).code, 'route_not_found');
  });

  test('upstream errors pass through with their status', async () => {
    const r = await postJson(`${h.gateway.url}/openai/chat/completions`, { model: 'gpt-4o-mini' }, { 'x-mock-script': 'status=418' });
    assert.equal(r.status, 418);
  });
});

describe('pass-through auth mode', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ config: () => ({ auth: { mode: 'passthrough' } }) }); });
  after(async () => { await h.close(); });

  test('the client key is what the provider sees, on both API styles', async () => {
    h.mock.resetAttempts();
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { authorization: 'Bearer sk-client-own' });
    assert.equal(r.status, 200);
    assert.equal(h.mock.attempts()[0].headers.authorization, 'Bearer sk-client-own');
    const n = await postJson(`${h.gateway.url}/anthropic/v1/messages`, { model: 'claude-sonnet-4-5', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }, { 'x-api-key': 'sk-ant-client' });
    assert.equal(n.status, 200);
    assert.equal(h.mock.attempts()[1].headers['x-api-key'], 'sk-ant-client');
  });

  test('no client key → 401 missing_credentials', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(r.status, 401);
    assert.equal((r.json().error as { code: string }).code, 'missing_credentials');
  });
});
