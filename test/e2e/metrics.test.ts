/**
 * End-to-end metrics: known traffic through a real gateway shows up in GET /metrics with the
 * right values by label; the scrape passes `promtool check metrics`; the endpoint needs the
 * metrics token or the admin key.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import { parseExposition, sumOf } from '../../src/observability/metrics/exposition-parser.js';

const ADMIN = 'admin-key-0123456789abcdef';
const TOKEN = 'metrics-token-0123456789';

describe('GET /metrics', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: () => ({ admin: { apiKey: ADMIN }, metrics: { token: TOKEN } }) });
  });
  after(async () => { await h.close(); });

  const scrape = async (): Promise<string> => {
    const r = await raw(`${h.gateway.url}/metrics`, { method: 'GET', headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /text\/plain/);
    return r.text;
  };

  test('refused without a credential; the metrics token and the admin key both work', async () => {
    assert.equal((await raw(`${h.gateway.url}/metrics`, { method: 'GET' })).status, 401);
    assert.equal((await raw(`${h.gateway.url}/metrics`, { method: 'GET', headers: { authorization: 'Bearer wrong-token-0123456789' } })).status, 401);
    assert.equal((await raw(`${h.gateway.url}/metrics`, { method: 'GET', headers: { 'x-tollgate-admin-key': ADMIN } })).status, 200);
  });

  test('metric values equal the traffic sent, by label', async () => {
    let tokensIn = 0;
    let tokensOut = 0;
    for (let i = 0; i < 3; i++) {
      const r = await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: `hello ${i}` }] }, { headers: { 'x-tollgate-operation': 'summarize', 'x-tollgate-user': `user-${i}` } });
      tokensIn += r.usage?.prompt_tokens ?? 0;
      tokensOut += r.usage?.completion_tokens ?? 0;
    }
    for (let i = 0; i < 2; i++) {
      await h.client.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] });
    }
    const failed = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/broken~status=400', messages: [{ role: 'user', content: 'x' }] });
    assert.equal(failed.status, 400);
    const s = parseExposition(await scrape());
    assert.equal(sumOf(s, 'ai_gateway_requests_total', { provider: 'openai', model: 'gpt-4o-mini', operation: 'summarize', status: '200', tenant: 'none' }), 3);
    assert.equal(sumOf(s, 'ai_gateway_requests_total', { provider: 'anthropic', model: 'claude-sonnet-4-5', operation: 'none', status: '200' }), 2);
    assert.equal(sumOf(s, 'ai_gateway_requests_total', { provider: 'openai', model: 'other', status: '400' }), 1);
    assert.equal(sumOf(s, 'ai_gateway_requests_total'), 6);
    assert.equal(sumOf(s, 'ai_gateway_tokens_total', { direction: 'input', provider: 'openai', model: 'gpt-4o-mini' }), tokensIn);
    assert.equal(sumOf(s, 'ai_gateway_tokens_total', { direction: 'output', provider: 'openai', model: 'gpt-4o-mini' }), tokensOut);
    assert.ok(sumOf(s, 'ai_gateway_cost_usd_total', { provider: 'openai', model: 'gpt-4o-mini' }) > 0);
    assert.equal(sumOf(s, 'ai_gateway_request_duration_seconds_count', { provider: 'anthropic' }), 2);
    assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'openai' }), 4);
    assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'openai', status: '200' }), 3);
    assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'openai', status: '400' }), 1);
    assert.equal(sumOf(s, 'ai_gateway_circuit_breaker_state', { provider: 'openai' }), 0);
    assert.ok(sumOf(s, 'ai_gateway_active_connections') >= 1);
    assert.ok(s.some((x) => x.name === 'process_cpu_user_seconds_total'), 'process metrics are exported');
    assert.ok(!/user-\d/.test(JSON.stringify(s)), 'users never become labels');
  });

  test('the scrape passes promtool check metrics', async () => {
    const text = await scrape();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8', timeout: 20_000 });
    assert.equal(r.error, undefined, `promtool must be installed (Debian package prometheus): ${String(r.error)}`);
    assert.equal(r.status, 0, `promtool: ${r.stdout}${r.stderr}`);
  });
});

describe('metrics turned off', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ config: () => ({ metrics: { enabled: false } }) });
  });
  after(async () => { await h.close(); });

  test('GET /metrics is a 404 and nothing is observed', async () => {
    await h.client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    const r = await raw(`${h.gateway.url}/metrics`, { method: 'GET' });
    assert.equal(r.status, 404);
    assert.equal(sumOf(parseExposition((await h.gateway.metrics.scrape()).body), 'ai_gateway_requests_total'), 0);
  });
});
