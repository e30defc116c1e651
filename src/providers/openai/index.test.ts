// Unit tests for the OpenAI provider adapter: its strict settings schema (organization and
// project accepted, unknown keys and non-http base URLs rejected); fromEnv creating the `openai`
// entry only when OPENAI_API_KEY is set and honouring OPENAI_BASE_URL; buildRequest for chat,
// completions and embeddings against api.openai.com with bearer, organization and project
// headers, the model swapped and include_usage added to streams; pass-through URLs and auth;
// translateResponse (raw bytes, usage with cached tokens, finish reason); streamed usage; and
// error translation through the shared OpenAI mapping.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildInput, StreamOptions } from '../types.js';
import { openaiAdapter, type OpenAISettings } from './index.js';

const settings: OpenAISettings = openaiAdapter.settingsSchema.parse({ type: 'openai', apiKey: 'sk-test' });
const options: StreamOptions = { operation: 'chat', model: 'gpt-4o-mini', clientWantsUsage: false, requestId: 'req-1', created: 1 };

function chat(extra: Partial<BuildInput> = {}): BuildInput {
  return { operation: 'chat', model: 'gpt-4o-mini', body: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }, stream: false, ...extra };
}

describe('settings', () => {
  test('accepts the OpenAI fields and rejects unknown keys, other types and bad URLs', () => {
    assert.deepEqual(openaiAdapter.settingsSchema.parse({ type: 'openai', apiKey: 'k', organization: 'org-1', project: 'proj-1', baseUrl: 'https://proxy.example.com/v1' }), {
      type: 'openai', apiKey: 'k', organization: 'org-1', project: 'proj-1', baseUrl: 'https://proxy.example.com/v1',
    });
    assert.equal(openaiAdapter.settingsSchema.safeParse({ type: 'openai', region: 'eu' }).success, false);
    assert.equal(openaiAdapter.settingsSchema.safeParse({ type: 'anthropic' }).success, false);
    assert.equal(openaiAdapter.settingsSchema.safeParse({ type: 'openai', baseUrl: 'ftp://x/v1' }).success, false);
    assert.equal(openaiAdapter.settingsSchema.safeParse({ type: 'openai', baseUrl: 'not a url' }).success, false);
  });

  test('advertises every operation and its default models', () => {
    assert.equal(openaiAdapter.type, 'openai');
    assert.deepEqual(openaiAdapter.operations, ['chat', 'completions', 'embeddings']);
    assert.ok(openaiAdapter.defaultModels.includes('gpt-4o-mini'));
    assert.ok(openaiAdapter.defaultModels.includes('text-embedding-3-small'));
  });
});

describe('fromEnv', () => {
  test('nothing without OPENAI_API_KEY', () => {
    assert.deepEqual(openaiAdapter.fromEnv({}), {});
    assert.deepEqual(openaiAdapter.fromEnv({ OPENAI_API_KEY: '' }), {});
    assert.deepEqual(openaiAdapter.fromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9100/v1' }), {});
  });

  test('an `openai` entry from the key, with an optional base URL', () => {
    assert.deepEqual(openaiAdapter.fromEnv({ OPENAI_API_KEY: 'sk-env' }), { openai: { type: 'openai', apiKey: 'sk-env' } });
    const custom = openaiAdapter.fromEnv({ OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: 'http://127.0.0.1:9100/v1' });
    assert.deepEqual(custom, { openai: { type: 'openai', apiKey: 'sk-env', baseUrl: 'http://127.0.0.1:9100/v1' } });
    assert.equal(openaiAdapter.settingsSchema.safeParse(custom.openai).success, true);
  });
});

describe('buildRequest', () => {
  test('chat against api.openai.com with bearer auth and the provider-side model', () => {
    const req = openaiAdapter.buildRequest(settings, chat());
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://api.openai.com/v1/chat/completions');
    assert.deepEqual(req.headers, { 'content-type': 'application/json', authorization: 'Bearer sk-test' });
    assert.deepEqual(JSON.parse(String(req.body)), { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] });
  });

  test('every call gets its own headers (one call\'s additions never reach the next); a client credential is used as given', () => {
    const first = openaiAdapter.buildRequest(settings, chat());
    first.headers.traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const second = openaiAdapter.buildRequest(settings, chat());
    assert.deepEqual(second.headers, { 'content-type': 'application/json', authorization: 'Bearer sk-test' });
    assert.notEqual(first.headers, second.headers);
    const client = openaiAdapter.buildRequest(settings, chat({ credential: 'sk-client' }));
    assert.equal(client.headers.authorization, 'Bearer sk-client');
    assert.equal(openaiAdapter.buildRequest(settings, chat()).headers.authorization, 'Bearer sk-test');
    const rotated = openaiAdapter.settingsSchema.parse({ type: 'openai', apiKey: 'sk-rotated' });
    assert.equal(openaiAdapter.buildRequest(rotated, chat()).headers.authorization, 'Bearer sk-rotated', 'new settings (a reload) bring their own key');
  });

  test('completions and embeddings paths', () => {
    assert.equal(openaiAdapter.buildRequest(settings, chat({ operation: 'completions', body: { model: 'openai/x', prompt: 'p' } })).url, 'https://api.openai.com/v1/completions');
    const emb = openaiAdapter.buildRequest(settings, chat({ operation: 'embeddings', model: 'text-embedding-3-small', body: { model: 'openai/text-embedding-3-small', input: 'x' }, stream: true }));
    assert.equal(emb.url, 'https://api.openai.com/v1/embeddings');
    assert.deepEqual(JSON.parse(String(emb.body)), { model: 'text-embedding-3-small', input: 'x' });
  });

  test('organization, project, extra headers and a custom base URL', () => {
    const s: OpenAISettings = { type: 'openai', apiKey: 'k', organization: 'org-1', project: 'proj-1', baseUrl: 'http://127.0.0.1:9100/v1/', headers: { 'x-extra': 'e' } };
    const req = openaiAdapter.buildRequest(s, chat());
    assert.equal(req.url, 'http://127.0.0.1:9100/v1/chat/completions');
    assert.deepEqual(req.headers, { 'content-type': 'application/json', 'x-extra': 'e', authorization: 'Bearer k', 'openai-organization': 'org-1', 'openai-project': 'proj-1' });
  });

  test('the client credential replaces the configured key; no key means no authorization', () => {
    assert.equal(openaiAdapter.buildRequest(settings, chat({ credential: 'sk-client' })).headers.authorization, 'Bearer sk-client');
    assert.equal('authorization' in openaiAdapter.buildRequest({ type: 'openai' }, chat()).headers, false);
  });

  test('streams ask for usage and the client body is untouched', () => {
    const body = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true };
    const copy = structuredClone(body);
    const req = openaiAdapter.buildRequest(settings, chat({ body, stream: true }));
    assert.deepEqual(JSON.parse(String(req.body)), { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }], stream: true, stream_options: { include_usage: true } });
    assert.deepEqual(body, copy);
  });
});

describe('passthrough', () => {
  test('the path is joined to the default base URL and the gateway key is used', () => {
    assert.deepEqual(openaiAdapter.passthrough(settings, { path: '/models', headers: { accept: 'application/json' } }), {
      url: 'https://api.openai.com/v1/models',
      headers: { accept: 'application/json', authorization: 'Bearer sk-test' },
    });
  });

  test('query strings survive; a client credential wins in pass-through mode', () => {
    const out = openaiAdapter.passthrough(settings, { path: '/files?purpose=batch', headers: {}, credential: 'sk-client' });
    assert.equal(out.url, 'https://api.openai.com/v1/files?purpose=batch');
    assert.equal(out.headers.authorization, 'Bearer sk-client');
  });
});

describe('responses', () => {
  test('translateResponse passes the bytes through and reads usage and finish reason', () => {
    const json = {
      id: 'chatcmpl-1', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 20, completion_tokens: 5, total_tokens: 25, prompt_tokens_details: { cached_tokens: 16 } },
    };
    assert.deepEqual(openaiAdapter.translateResponse(chat(), json, options), {
      passRaw: true, usage: { inputTokens: 20, outputTokens: 5, cachedInputTokens: 16 }, finishReason: 'stop',
    });
  });

  test('embeddings responses have usage and no finish reason', () => {
    const json = { object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.1] }], usage: { prompt_tokens: 3, total_tokens: 3 } };
    assert.deepEqual(openaiAdapter.translateResponse(chat({ operation: 'embeddings' }), json, options), { passRaw: true, usage: { inputTokens: 3, outputTokens: 0 }, finishReason: undefined });
  });

  test('the stream translator taps the usage chunk', () => {
    const t = openaiAdapter.streamTranslator(chat({ stream: true }), options);
    assert.deepEqual(t.push({ event: undefined, data: '{"choices":[],"usage":{"prompt_tokens":2,"completion_tokens":3}}', id: undefined }), { usage: { inputTokens: 2, outputTokens: 3 } });
    assert.deepEqual(t.push({ event: undefined, data: '[DONE]', id: undefined }), { done: true });
  });

  test('errors use the shared OpenAI mapping', () => {
    const err = openaiAdapter.translateError({ status: 429, headers: { 'retry-after': '2' }, bodyText: '{"error":{"message":"slow down","code":"rate_limit_exceeded"}}' });
    assert.equal(err.code, 'upstream_rate_limited');
    assert.equal(err.retryAfterSeconds, 2);
    assert.equal(openaiAdapter.translateError({ status: 401, headers: {}, bodyText: '' }).code, 'upstream_auth_failed');
  });
});
