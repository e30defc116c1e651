import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildInput, Operation, StreamOptions } from '../types.js';
import { azureOpenAIAdapter, type AzureOpenAISettings } from './index.js';

const S: AzureOpenAISettings = {
  type: 'azure-openai', baseUrl: 'https://myres.openai.azure.com', apiKey: 'az-key', deployments: { 'gpt-4o': 'prod-4o' },
};
const OPTS: StreamOptions = { operation: 'chat', model: 'gpt-4o', clientWantsUsage: false, requestId: 'r', created: 1 };

function input(operation: Operation, model: string, body: Record<string, unknown>, stream = false, credential?: string): BuildInput {
  return { operation, model, body, stream, credential };
}

test('schema: baseUrl required, apiVersion checked, strict', () => {
  const schema = azureOpenAIAdapter.settingsSchema;
  assert.ok(schema.safeParse(S).success);
  assert.ok(schema.safeParse({ ...S, apiVersion: '2025-01-01-preview' }).success);
  assert.equal(schema.safeParse({ type: 'azure-openai', apiKey: 'k' }).success, false);
  assert.equal(schema.safeParse({ ...S, apiVersion: 'latest&x=1' }).success, false);
  assert.equal(schema.safeParse({ ...S, deployment: 'x' }).success, false);
  assert.equal(azureOpenAIAdapter.type, 'azure-openai');
  assert.deepEqual([...azureOpenAIAdapter.operations], ['chat', 'completions', 'embeddings']);
});

test('fromEnv needs endpoint and key; version optional', () => {
  const env = { AZURE_OPENAI_ENDPOINT: 'https://r.openai.azure.com', AZURE_OPENAI_API_KEY: 'k' };
  assert.deepEqual(azureOpenAIAdapter.fromEnv(env), { 'azure-openai': { type: 'azure-openai', baseUrl: 'https://r.openai.azure.com', apiKey: 'k' } });
  assert.deepEqual(azureOpenAIAdapter.fromEnv({ ...env, AZURE_OPENAI_API_VERSION: '2024-06-01' })['azure-openai']?.apiVersion, '2024-06-01');
  assert.deepEqual(azureOpenAIAdapter.fromEnv({ AZURE_OPENAI_ENDPOINT: 'https://r' }), {});
  assert.deepEqual(azureOpenAIAdapter.fromEnv({ AZURE_OPENAI_API_KEY: 'k' }), {});
});

test('chat: mapped deployment, default api-version, api-key header, include_usage, body untouched', () => {
  const body = { model: 'azure-openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true };
  const before = JSON.stringify(body);
  const req = azureOpenAIAdapter.buildRequest({ ...S, headers: { 'x-ms-client': 'tg' } }, input('chat', 'gpt-4o', body, true));
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'https://myres.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21');
  assert.deepEqual(req.headers, { 'content-type': 'application/json', 'x-ms-client': 'tg', 'api-key': 'az-key' });
  const sent = JSON.parse(String(req.body)) as Record<string, unknown>;
  assert.deepEqual(sent.stream_options, { include_usage: true });
  assert.equal(sent.model, 'gpt-4o');
  assert.equal(JSON.stringify(body), before);
});

test('completions and embeddings; unmapped model is its own deployment; configured api-version', () => {
  const s = { ...S, apiVersion: '2024-06-01' };
  assert.equal(azureOpenAIAdapter.buildRequest(s, input('completions', 'gpt-35-turbo-instruct', { prompt: 'x' })).url,
    'https://myres.openai.azure.com/openai/deployments/gpt-35-turbo-instruct/completions?api-version=2024-06-01');
  const emb = azureOpenAIAdapter.buildRequest(s, input('embeddings', 'text-embedding-3-small', { input: 'x' }, true));
  assert.equal(emb.url, 'https://myres.openai.azure.com/openai/deployments/text-embedding-3-small/embeddings?api-version=2024-06-01');
  assert.equal('stream_options' in (JSON.parse(String(emb.body)) as Record<string, unknown>), false);
});

test('client credential replaces the key; no key means no header', () => {
  assert.equal(azureOpenAIAdapter.buildRequest(S, input('chat', 'gpt-4o', {}, false, 'client')).headers['api-key'], 'client');
  const { apiKey: _unused, ...keyless } = S;
  assert.equal('api-key' in azureOpenAIAdapter.buildRequest(keyless, input('chat', 'gpt-4o', {})).headers, false);
});

test('responses pass raw with usage; Azure filter-only stream chunks pass through', () => {
  const out = azureOpenAIAdapter.translateResponse(input('chat', 'gpt-4o', {}), {
    choices: [{ finish_reason: 'content_filter' }], usage: { prompt_tokens: 9, completion_tokens: 0 },
  }, OPTS);
  assert.deepEqual(out, { passRaw: true, usage: { inputTokens: 9, outputTokens: 0 }, finishReason: 'content_filter' });
  const t = azureOpenAIAdapter.streamTranslator(input('chat', 'gpt-4o', {}, true), OPTS);
  const filter = '{"choices":[],"prompt_filter_results":[{"prompt_index":0}]}';
  assert.deepEqual(t.push({ event: undefined, data: filter, id: undefined }), { emit: [filter] });
});

test('errors: 429 retry-after, 401, 400 content filter code, 5xx, non-JSON', () => {
  const e429 = azureOpenAIAdapter.translateError({ status: 429, headers: { 'retry-after': '20' }, bodyText: '{"error":{"code":"429","message":"Requests to the ChatCompletions_Create Operation have exceeded the rate limit"}}' });
  assert.equal(e429.code, 'upstream_rate_limited');
  assert.equal(e429.retryAfterSeconds, 20);
  assert.equal(azureOpenAIAdapter.translateError({ status: 401, headers: {}, bodyText: '{"error":{"code":"401","message":"Access denied"}}' }).code, 'upstream_auth_failed');
  const e400 = azureOpenAIAdapter.translateError({ status: 400, headers: {}, bodyText: '{"error":{"code":"content_filter","message":"filtered","param":"prompt"}}' });
  assert.equal(e400.code, 'upstream_rejected');
  assert.equal(e400.providerCode, 'content_filter');
  assert.equal(e400.param, 'prompt');
  assert.equal(azureOpenAIAdapter.translateError({ status: 500, headers: {}, bodyText: '{}' }).code, 'upstream_server_error');
  assert.equal(azureOpenAIAdapter.translateError({ status: 404, headers: {}, bodyText: 'Resource not found' }).status, 404);
});

test('passthrough: endpoint + path unchanged, api-key added', () => {
  const out = azureOpenAIAdapter.passthrough(S, { path: '/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21', headers: { accept: '*/*' } });
  assert.equal(out.url, 'https://myres.openai.azure.com/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21');
  assert.deepEqual(out.headers, { accept: '*/*', 'api-key': 'az-key' });
  assert.equal(azureOpenAIAdapter.passthrough(S, { path: '/x', headers: {}, credential: 'c' }).headers['api-key'], 'c');
});
