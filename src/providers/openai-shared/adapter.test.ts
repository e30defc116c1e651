// Unit tests for the shared OpenAI-format adapter factory, driven by a minimal keyless spec with
// no default base URL and chat only: the operation paths; baseUrlOf and requireOperation
// raising invalid_request / operation_not_supported; a missing baseUrl refused at build time;
// header precedence (content type, then configured headers, then auth from the client
// credential or the configured key); spec defaults for operations and models; pass-through URL
// joining and header merging; translateResponse forwarding raw bytes with usage and the first
// choice's finish reason; and translateError / streamTranslator wiring.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BaseProviderSettings, BuildInput, StreamOptions } from '../types.js';
import { baseUrlOf, createOpenAIFormatAdapter, OPERATION_PATHS, requireOperation } from './adapter.js';
import { translateOpenAIError } from './errors.js';
import { OpenAIStreamTranslator } from './stream.js';

interface TestSettings extends BaseProviderSettings {
  type: 'test-format';
}

const schema = z.object({ type: z.literal('test-format'), baseUrl: z.string().optional(), apiKey: z.string().optional(), headers: z.record(z.string(), z.string()).optional() }).strict();

const adapter = createOpenAIFormatAdapter<TestSettings>({
  type: 'test-format',
  settingsSchema: schema as unknown as z.ZodType<TestSettings>,
  operations: ['chat'],
  authHeaders(_settings, key): Record<string, string> {
    return key ? { 'x-test-key': key } : {};
  },
  fromEnv() {
    return {};
  },
});

const chatInput: BuildInput = { operation: 'chat', model: 'm-1', body: { model: 'p/m-1', messages: [{ role: 'user', content: 'x' }] }, stream: false };
const options: StreamOptions = { operation: 'chat', model: 'm-1', clientWantsUsage: false, requestId: 'r', created: 0 };

function gatewayError(fn: () => unknown, code: string): GatewayError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError, String(err));
    assert.equal(err.code, code);
    return err;
  }
  assert.fail(`expected ${code}`);
}

describe('helpers', () => {
  test('operation paths', () => {
    assert.deepEqual(OPERATION_PATHS, { chat: '/chat/completions', completions: '/completions', embeddings: '/embeddings' });
  });

  test('baseUrlOf prefers the configured URL, then the fallback, else invalid_request', () => {
    assert.equal(baseUrlOf({ type: 't', baseUrl: 'http://a/v1' }, 'http://b/v1', 't'), 'http://a/v1');
    assert.equal(baseUrlOf({ type: 't' }, 'http://b/v1', 't'), 'http://b/v1');
    const err = gatewayError(() => baseUrlOf({ type: 't' }, undefined, 'custom'), 'invalid_request');
    assert.equal(err.message, 'Provider of type custom has no baseUrl configured.');
  });

  test('requireOperation', () => {
    assert.doesNotThrow(() => requireOperation(['chat', 'embeddings'], 'embeddings'));
    gatewayError(() => requireOperation(['chat'], 'completions'), 'operation_not_supported');
  });
});

describe('createOpenAIFormatAdapter', () => {
  test('spec defaults: the given operations, no default models', () => {
    assert.equal(adapter.type, 'test-format');
    assert.deepEqual(adapter.operations, ['chat']);
    assert.deepEqual(adapter.defaultModels, []);
    assert.deepEqual(adapter.fromEnv({}), {});
    assert.equal(adapter.translateError, translateOpenAIError);
  });

  test('buildRequest refuses an unsupported operation and a missing base URL', () => {
    gatewayError(() => adapter.buildRequest({ type: 'test-format', baseUrl: 'http://h/v1' }, { ...chatInput, operation: 'embeddings' }), 'operation_not_supported');
    gatewayError(() => adapter.buildRequest({ type: 'test-format' }, chatInput), 'invalid_request');
  });

  test('buildRequest: URL, header precedence and body', () => {
    const settings: TestSettings = { type: 'test-format', baseUrl: 'http://h:1/v1/', apiKey: 'configured', headers: { 'x-test-key': 'from-headers', 'x-org': 'o', 'content-type': 'text/plain' } };
    const req = adapter.buildRequest(settings, chatInput);
    assert.equal(req.method, 'POST');
    assert.equal(req.url, 'http://h:1/v1/chat/completions');
    assert.deepEqual(req.headers, { 'content-type': 'text/plain', 'x-test-key': 'configured', 'x-org': 'o' });
    assert.deepEqual(JSON.parse(String(req.body)), { model: 'm-1', messages: [{ role: 'user', content: 'x' }] });
  });

  test('a client credential overrides the configured key; keyless sends no auth header', () => {
    const withCred = adapter.buildRequest({ type: 'test-format', baseUrl: 'http://h/v1', apiKey: 'configured' }, { ...chatInput, credential: 'client' });
    assert.equal(withCred.headers['x-test-key'], 'client');
    const keyless = adapter.buildRequest({ type: 'test-format', baseUrl: 'http://h/v1' }, chatInput);
    assert.deepEqual(keyless.headers, { 'content-type': 'application/json' });
  });

  test('passthrough joins the path and lays auth over the client headers', () => {
    const settings: TestSettings = { type: 'test-format', baseUrl: 'http://h/v1', apiKey: 'k', headers: { 'x-org': 'o' } };
    const out = adapter.passthrough(settings, { path: '/models?limit=5', headers: { accept: 'application/json', 'x-test-key': 'spoof', 'x-org': 'client' } });
    assert.deepEqual(out, { url: 'http://h/v1/models?limit=5', headers: { accept: 'application/json', 'x-test-key': 'k', 'x-org': 'o' } });
    assert.equal(adapter.passthrough(settings, { path: 'files', headers: {}, credential: 'c' }).headers['x-test-key'], 'c');
    gatewayError(() => adapter.passthrough({ type: 'test-format' }, { path: '/x', headers: {} }), 'invalid_request');
  });

  test('translateResponse forwards raw bytes with usage and finish reason', () => {
    const json = { id: 'x', choices: [{ index: 0, finish_reason: 'length', message: {} }, { index: 1, finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 6 } };
    assert.deepEqual(adapter.translateResponse(chatInput, json, options), { passRaw: true, usage: { inputTokens: 4, outputTokens: 6 }, finishReason: 'length' });
  });

  test('translateResponse copes with missing or odd fields', () => {
    assert.deepEqual(adapter.translateResponse(chatInput, { object: 'list', data: [] }, options), { passRaw: true, usage: undefined, finishReason: undefined });
    assert.deepEqual(adapter.translateResponse(chatInput, { choices: [] }, options), { passRaw: true, usage: undefined, finishReason: undefined });
    assert.deepEqual(adapter.translateResponse(chatInput, { choices: [{ finish_reason: null }] }, options), { passRaw: true, usage: undefined, finishReason: undefined });
    assert.deepEqual(adapter.translateResponse(chatInput, { choices: 'x', usage: 'y' }, options), { passRaw: true, usage: undefined, finishReason: undefined });
  });

  test('streamTranslator returns an OpenAI stream translator honouring clientWantsUsage', () => {
    const hidden = adapter.streamTranslator(chatInput, options);
    assert.ok(hidden instanceof OpenAIStreamTranslator);
    const usageOnly = '{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}';
    assert.equal(hidden.push({ event: undefined, data: usageOnly, id: undefined }).emit, undefined);
    const shown = adapter.streamTranslator(chatInput, { ...options, clientWantsUsage: true });
    assert.deepEqual(shown.push({ event: undefined, data: usageOnly, id: undefined }).emit, [usageOnly]);
  });
});
