import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, StreamOptions } from '../types.js';
import { anthropicAdapter, type AnthropicSettings } from './index.js';

const settings: AnthropicSettings = anthropicAdapter.settingsSchema.parse({ type: 'anthropic', apiKey: 'sk-ant-test' });

function chat(body: Record<string, unknown>, extra: Partial<BuildInput> = {}): BuildInput {
  return { operation: 'chat', model: 'claude-haiku-4-5', body, stream: false, ...extra };
}

const hello = { messages: [{ role: 'user', content: 'Hello' }] };

describe('settings', () => {
  test('defaults the version and max tokens; rejects unknown keys and a wrong type', () => {
    assert.equal(settings.version, '2023-06-01');
    assert.equal(settings.defaultMaxTokens, 4096);
    assert.equal(anthropicAdapter.settingsSchema.safeParse({ type: 'anthropic', apiKey: 'k', region: 'eu' }).success, false);
    assert.equal(anthropicAdapter.settingsSchema.safeParse({ type: 'openai', apiKey: 'k' }).success, false);
    assert.equal(anthropicAdapter.settingsSchema.safeParse({ type: 'anthropic', defaultMaxTokens: 0 }).success, false);
  });

  test('fromEnv creates one entry only when a key is present', () => {
    assert.deepEqual(anthropicAdapter.fromEnv({}), {});
    assert.deepEqual(anthropicAdapter.fromEnv({ ANTHROPIC_API_KEY: 'k' }), {
      anthropic: { type: 'anthropic', apiKey: 'k', version: '2023-06-01', defaultMaxTokens: 4096 },
    });
    const custom = anthropicAdapter.fromEnv({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9100' });
    assert.equal(custom.anthropic.baseUrl, 'http://127.0.0.1:9100');
    assert.equal(anthropicAdapter.settingsSchema.safeParse(custom.anthropic).success, true);
  });

  test('advertises chat only and some default models', () => {
    assert.deepEqual(anthropicAdapter.operations, ['chat']);
    assert.equal(anthropicAdapter.type, 'anthropic');
    assert.ok(anthropicAdapter.defaultModels.includes('claude-sonnet-4-5'));
  });
});

describe('buildRequest', () => {
  test('posts the translated body to /v1/messages with key and version headers', () => {
    const req = anthropicAdapter.buildRequest(settings, chat(hello));
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'https://api.anthropic.com/v1/messages');
    assert.deepEqual(req.headers, { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' });
    assert.deepEqual(JSON.parse(String(req.body)), { model: 'claude-haiku-4-5', max_tokens: 4096, messages: [{ role: 'user', content: 'Hello' }] });
  });

  test('uses the configured base URL, version, headers and max tokens; a client credential wins', () => {
    const custom = anthropicAdapter.settingsSchema.parse({
      type: 'anthropic', apiKey: 'configured', baseUrl: 'http://127.0.0.1:9100/', version: '2024-01-01',
      defaultMaxTokens: 512, headers: { 'anthropic-beta': 'feature-x', 'X-Api-Key': 'stale' },
    });
    const req = anthropicAdapter.buildRequest(custom, chat(hello, { credential: 'client-key', stream: true }));
    assert.equal(req.url, 'http://127.0.0.1:9100/v1/messages');
    assert.deepEqual(req.headers, {
      'content-type': 'application/json', 'anthropic-beta': 'feature-x', 'x-api-key': 'client-key', 'anthropic-version': '2024-01-01',
    });
    const body = JSON.parse(String(req.body)) as Record<string, unknown>;
    assert.equal(body.max_tokens, 512);
    assert.equal(body.stream, true);
  });

  test('without any key no x-api-key header is sent', () => {
    const keyless = anthropicAdapter.settingsSchema.parse({ type: 'anthropic' });
    assert.equal('x-api-key' in anthropicAdapter.buildRequest(keyless, chat(hello)).headers, false);
  });

  test('completions and embeddings are not supported', () => {
    for (const operation of ['completions', 'embeddings'] as const) {
      assert.throws(() => anthropicAdapter.buildRequest(settings, chat({ prompt: 'x' }, { operation })),
        (err: unknown) => err instanceof GatewayError && err.code === 'operation_not_supported');
    }
  });

  test('a body that is not an object is refused', () => {
    assert.throws(() => anthropicAdapter.buildRequest(settings, chat([] as unknown as Record<string, unknown>)),
      (err: unknown) => err instanceof GatewayError && err.code === 'invalid_request');
  });
});

describe('responses, streams and errors', () => {
  const options: StreamOptions = { operation: 'chat', model: 'claude-haiku-4-5', clientWantsUsage: false, requestId: 'r', created: 1 };

  test('translateResponse returns an OpenAI body', () => {
    const out = anthropicAdapter.translateResponse(chat(hello), { id: 'msg', content: [{ type: 'text', text: 'ok' }], stop_reason: 'max_tokens' }, options);
    assert.equal(out.body?.object, 'chat.completion');
    assert.equal(out.finishReason, 'length');
  });

  test('streamTranslator and translateError are wired', () => {
    const t = anthropicAdapter.streamTranslator(chat(hello, { stream: true }), options);
    assert.deepEqual(t.push({ event: 'message_stop', data: '{"type":"message_stop"}', id: undefined }), { usage: { inputTokens: 0, outputTokens: 0 }, done: true });
    const err = anthropicAdapter.translateError({ status: 529, headers: {}, bodyText: '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' });
    assert.equal(err.code, 'upstream_overloaded');
  });
});

describe('passthrough', () => {
  test('joins the path to the base URL and adds key and version', () => {
    const out = anthropicAdapter.passthrough(settings, { path: '/v1/messages/count_tokens?beta=true', headers: { 'content-type': 'application/json' } });
    assert.equal(out.url, 'https://api.anthropic.com/v1/messages/count_tokens?beta=true');
    assert.deepEqual(out.headers, { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' });
  });

  test('keeps the client version header and prefers the pass-through credential', () => {
    const out = anthropicAdapter.passthrough(settings, { path: '/v1/models', headers: { 'Anthropic-Version': '2023-01-01' }, credential: 'client' });
    assert.deepEqual(out.headers, { 'Anthropic-Version': '2023-01-01', 'x-api-key': 'client' });
  });
});
