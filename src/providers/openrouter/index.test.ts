import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, Operation, StreamOptions } from '../types.js';
import { openrouterAdapter, type OpenRouterSettings } from './index.js';

const S: OpenRouterSettings = { type: 'openrouter', apiKey: 'sk-or', siteUrl: 'https://app.example.com', appName: 'Example App' };
const MODEL = 'anthropic/claude-3.5-sonnet';
const OPTS: StreamOptions = { operation: 'chat', model: MODEL, clientWantsUsage: false, requestId: 'r', created: 1 };

function input(operation: Operation, body: Record<string, unknown>, stream = false, credential?: string): BuildInput {
  return { operation, model: MODEL, body, stream, credential };
}

test('schema: strict, optional attribution fields, siteUrl must be a URL', () => {
  const schema = openrouterAdapter.settingsSchema;
  assert.ok(schema.safeParse({ type: 'openrouter' }).success);
  assert.ok(schema.safeParse(S).success);
  assert.equal(schema.safeParse({ type: 'openrouter', siteUrl: 'not a url' }).success, false);
  assert.equal(schema.safeParse({ type: 'openrouter', referer: 'x' }).success, false);
  assert.equal(openrouterAdapter.type, 'openrouter');
  assert.ok(openrouterAdapter.defaultModels.includes(MODEL));
});

test('fromEnv uses OPENROUTER_API_KEY', () => {
  assert.deepEqual(openrouterAdapter.fromEnv({ OPENROUTER_API_KEY: 'k' }), { openrouter: { type: 'openrouter', apiKey: 'k' } });
  assert.deepEqual(openrouterAdapter.fromEnv({}), {});
});

test('requests go to the default base with bearer and attribution headers; slashes in the model survive', () => {
  const body = { model: `openrouter/${MODEL}`, messages: [], stream: true };
  const before = JSON.stringify(body);
  const req = openrouterAdapter.buildRequest(S, input('chat', body, true));
  assert.equal(req.url, 'https://openrouter.ai/api/v1/chat/completions');
  assert.deepEqual(req.headers, {
    'content-type': 'application/json', authorization: 'Bearer sk-or', 'http-referer': 'https://app.example.com', 'x-title': 'Example App',
  });
  const sent = JSON.parse(String(req.body)) as Record<string, unknown>;
  assert.equal(sent.model, MODEL);
  assert.deepEqual(sent.stream_options, { include_usage: true });
  assert.equal(JSON.stringify(body), before);
  assert.equal(openrouterAdapter.buildRequest(S, input('embeddings', { input: 'x' })).url, 'https://openrouter.ai/api/v1/embeddings');
  assert.equal(openrouterAdapter.buildRequest(S, input('completions', { prompt: 'x' })).url, 'https://openrouter.ai/api/v1/completions');
});

test('no attribution headers unless configured; client credential wins', () => {
  const req = openrouterAdapter.buildRequest({ type: 'openrouter' }, input('chat', {}, false, 'client'));
  assert.deepEqual(req.headers, { 'content-type': 'application/json', authorization: 'Bearer client' });
});

test('a normal response passes raw with usage', () => {
  const out = openrouterAdapter.translateResponse(input('chat', {}), {
    id: 'gen-1', choices: [{ finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 6, prompt_tokens_details: { cached_tokens: 2 } },
  }, OPTS);
  assert.deepEqual(out, { passRaw: true, usage: { inputTokens: 5, outputTokens: 6, cachedInputTokens: 2 }, finishReason: 'stop' });
});

test('an error inside a 200 body is raised, not passed on', () => {
  assert.throws(() => openrouterAdapter.translateResponse(input('chat', {}), { error: { code: 502, message: 'model down' } }, OPTS),
    (e: unknown) => e instanceof GatewayError && e.code === 'upstream_server_error' && e.message === 'model down');
});

test('stream translator recognises mid-stream errors', () => {
  const t = openrouterAdapter.streamTranslator(input('chat', {}, true), OPTS);
  const step = t.push({ event: undefined, data: '{"id":"x","error":{"code":502,"message":"gone"},"choices":[]}', id: undefined });
  assert.equal(step.error?.code, 'upstream_stream_interrupted');
});

test('errors: 402 credits, 429 with retry-after, 401, 400 code, 5xx, non-JSON', () => {
  const e402 = openrouterAdapter.translateError({ status: 402, headers: {}, bodyText: '{"error":{"code":402,"message":"Insufficient credits"}}' });
  assert.equal(e402.code, 'upstream_rejected');
  assert.equal(e402.status, 402);
  assert.equal(e402.providerCode, '402');
  const e429 = openrouterAdapter.translateError({ status: 429, headers: { 'retry-after': '12' }, bodyText: '{"error":{"code":429,"message":"Rate limit"}}' });
  assert.equal(e429.code, 'upstream_rate_limited');
  assert.equal(e429.retryAfterSeconds, 12);
  assert.equal(openrouterAdapter.translateError({ status: 401, headers: {}, bodyText: '{"error":{"code":401,"message":"No auth"}}' }).code, 'upstream_auth_failed');
  assert.equal(openrouterAdapter.translateError({ status: 503, headers: {}, bodyText: '{"error":{"code":503}}' }).code, 'upstream_overloaded');
  assert.equal(openrouterAdapter.translateError({ status: 500, headers: {}, bodyText: '<html>' }).code, 'upstream_server_error');
});

test('passthrough: base + path with auth headers', () => {
  const out = openrouterAdapter.passthrough(S, { path: '/models', headers: { accept: '*/*' } });
  assert.equal(out.url, 'https://openrouter.ai/api/v1/models');
  assert.equal(out.headers.authorization, 'Bearer sk-or');
  assert.equal(out.headers['x-title'], 'Example App');
  assert.equal(out.headers.accept, '*/*');
});
