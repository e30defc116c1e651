import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfigDocument } from '../../config/load.js';
import type { UsageEvent } from '../../metering/usage-event.js';
import { GatewayMetrics } from './gateway-metrics.js';
import { parseExposition, sumOf } from './exposition-parser.js';

const config = loadConfigDocument({
  storage: 'none://',
  providers: { main: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m1'] } },
}, {});

function event(over: Partial<UsageEvent>): UsageEvent {
  return {
    requestId: 'r', time: 0, tenant: null, keyId: null, user: null, operation: null, metadata: null, endpoint: 'chat',
    provider: 'main', model: 'm1', routeAlias: null, status: 200, errorCode: null, cacheStatus: null, attempts: 1,
    fallbackIndex: 0, latencyMs: 12, ttftMs: 5, tokensIn: 10, tokensOut: 4, tokensCached: 0, tokensCacheWrite: 0,
    neurons: null, costMicros: 1500, savedMicros: 0, stream: false, partial: false, estimated: false, collect: true, payload: null,
    ...over,
  };
}

test('counters follow the observed events by label', async () => {
  const m = new GatewayMetrics(10);
  m.observe(event({}), config);
  m.observe(event({ cacheStatus: 'HIT', savedMicros: 2_000_000, costMicros: 0 }), config);
  m.observe(event({ status: 429, errorCode: 'rate_limit_exceeded', tokensIn: 0, tokensOut: 0, attempts: 0, costMicros: 0 }), config);
  m.observe(event({ status: 402, errorCode: 'budget_exceeded', tokensIn: 0, tokensOut: 0, attempts: 0, costMicros: 0 }), config);
  const s = parseExposition((await m.scrape()).body);
  assert.equal(sumOf(s, 'ai_gateway_requests_total', { provider: 'main', model: 'm1', status: '200' }), 2);
  assert.equal(sumOf(s, 'ai_gateway_requests_total', { status: '200', cache_status: 'HIT' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_tokens_total', { direction: 'input', model: 'm1' }), 20);
  assert.equal(sumOf(s, 'ai_gateway_cost_usd_total', { provider: 'main' }), 0.0015);
  assert.equal(sumOf(s, 'ai_gateway_cost_saved_usd_total'), 2);
  assert.equal(sumOf(s, 'ai_gateway_cache_requests_total', { result: 'HIT' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_rate_limited_total'), 1);
  assert.equal(sumOf(s, 'ai_gateway_budget_rejections_total'), 1);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'main' }), 2);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'main', status: '200' }), 2);
  assert.equal(sumOf(s, 'ai_gateway_request_duration_seconds_count'), 4);
  assert.equal(sumOf(s, 'ai_gateway_request_duration_seconds_bucket', { le: '0.025' }), 4);
  assert.equal(sumOf(s, 'ai_gateway_request_duration_seconds_bucket', { le: '0.01' }), 0);
});

test('upstream attempts are counted by provider and upstream status, failed attempts included', async () => {
  const m = new GatewayMetrics(10);
  m.observe(event({ attempts: 3 }), config, [{ provider: 'main', status: 429 }, { provider: 'main', status: 0 }]);
  m.observe(event({ attempts: 2, status: 503, errorCode: 'upstream_overloaded' }), config, [{ provider: 'main', status: 503 }, { provider: 'gone', status: 503 }]);
  const s = parseExposition((await m.scrape()).body);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'main', status: '429' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'main', status: 'error' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'main', status: '200' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'main', status: '503' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total', { provider: 'other', status: '503' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_upstream_attempts_total'), 5);
});

test('label cardinality stays bounded under 10,000 distinct users, models, operations and tenants', async () => {
  const m = new GatewayMetrics(20);
  for (let i = 0; i < 10_000; i++) {
    m.observe(event({ user: `user-${i}`, requestId: `req-${i}`, keyId: `key-${i}`, model: `model-${i}`, operation: `op-${i}`, tenant: `t-${i}`, provider: i % 2 ? 'main' : `nope-${i}` }), config);
  }
  const text = (await m.scrape()).body;
  const s = parseExposition(text);
  const series = s.filter((x) => x.name === 'ai_gateway_requests_total');
  assert.ok(series.length <= 2 * 21, `requests_total has ${series.length} series`);
  assert.equal(sumOf(s, 'ai_gateway_requests_total'), 10_000);
  assert.ok(!/user-|req-|key-|model-\d|t-\d/.test(text), 'no user, key, request id, unknown model or tenant in labels');
  assert.equal(sumOf(s, 'ai_gateway_requests_total', { operation: 'other' }), 10_000 - 20);
  assert.equal(sumOf(s, 'ai_gateway_requests_total', { tenant: 'other' }), 10_000);
  assert.ok(s.length < 1_000, `total samples ${s.length}`);
});

test('a reload that adds a model lets it become a label', async () => {
  const m = new GatewayMetrics(5);
  m.observe(event({ model: 'm2' }), config);
  const next = loadConfigDocument({ storage: 'none://', providers: { main: { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m1', 'm2'] } } }, {});
  m.observe(event({ model: 'm2' }), next);
  const s = parseExposition((await m.scrape()).body);
  assert.equal(sumOf(s, 'ai_gateway_requests_total', { model: 'other' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_requests_total', { model: 'm2' }), 1);
});

test('provider probe gauges: up and latency per probed provider, nothing before the first result', async () => {
  const probes = new Map([
    ['main', { status: 'up' as const, latencyMs: 250 }],
    ['backup', { status: 'down' as const, latencyMs: 5000 }],
    ['new', { status: 'pending' as const, latencyMs: null }],
  ]);
  const s = parseExposition((await new GatewayMetrics(10, { probes: () => probes }).scrape()).body);
  assert.equal(sumOf(s, 'ai_gateway_provider_probe_up', { provider: 'main' }), 1);
  assert.equal(sumOf(s, 'ai_gateway_provider_probe_up', { provider: 'backup' }), 0);
  assert.equal(sumOf(s, 'ai_gateway_provider_probe_latency_seconds', { provider: 'backup' }), 5);
  assert.ok(!s.some((x) => x.labels.provider === 'new'), 'a pending probe exports nothing');
});
