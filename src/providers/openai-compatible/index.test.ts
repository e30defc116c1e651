import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildInput, Operation, StreamOptions } from '../types.js';
import { openaiCompatibleAdapter, type OpenAICompatibleSettings } from './index.js';

const LOCAL: OpenAICompatibleSettings = { type: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1' };
const KEYED: OpenAICompatibleSettings = { ...LOCAL, baseUrl: 'https://api.groq.com/openai/v1/', apiKey: 'gsk', headers: { 'x-a': 'b' } };

function input(operation: Operation, body: Record<string, unknown>, stream = false, credential?: string): BuildInput {
  return { operation, model: 'llama3.1:8b', body, stream, credential };
}

const sent = (body: string | Buffer | undefined): Record<string, unknown> => JSON.parse(String(body)) as Record<string, unknown>;

test('schema requires baseUrl and stays strict', () => {
  const schema = openaiCompatibleAdapter.settingsSchema;
  assert.equal(schema.safeParse({ type: 'openai-compatible' }).success, false);
  assert.equal(schema.safeParse({ type: 'openai-compatible', baseUrl: 'ftp://x' }).success, false);
  assert.equal(schema.safeParse({ ...LOCAL, bogus: 1 }).success, false);
  assert.ok(schema.safeParse({ ...LOCAL, trusted: true, streamUsage: false, models: ['llama3.1:8b'] }).success);
  assert.equal(openaiCompatibleAdapter.type, 'openai-compatible');
  assert.deepEqual(openaiCompatibleAdapter.defaultModels, []);
});

test('fromEnv: base URL creates `local`, key optional', () => {
  assert.deepEqual(openaiCompatibleAdapter.fromEnv({ OPENAI_COMPATIBLE_BASE_URL: 'http://h/v1' }), {
    local: { type: 'openai-compatible', baseUrl: 'http://h/v1' },
  });
  assert.deepEqual(openaiCompatibleAdapter.fromEnv({ OPENAI_COMPATIBLE_BASE_URL: 'http://h/v1', OPENAI_COMPATIBLE_API_KEY: 'k' }), {
    local: { type: 'openai-compatible', baseUrl: 'http://h/v1', apiKey: 'k' },
  });
  assert.deepEqual(openaiCompatibleAdapter.fromEnv({ OPENAI_COMPATIBLE_API_KEY: 'k' }), {});
});

test('keyless server: no authorization header; each operation path', () => {
  for (const [op, path] of [['chat', '/chat/completions'], ['completions', '/completions'], ['embeddings', '/embeddings']] as const) {
    const req = openaiCompatibleAdapter.buildRequest(LOCAL, input(op, { input: 'x' }));
    assert.equal(req.url, `http://127.0.0.1:8000/v1${path}`);
    assert.deepEqual(req.headers, { 'content-type': 'application/json' });
  }
});

test('keyed server: bearer, extra headers, client credential wins', () => {
  const req = openaiCompatibleAdapter.buildRequest(KEYED, input('chat', { messages: [] }));
  assert.equal(req.url, 'https://api.groq.com/openai/v1/chat/completions');
  assert.deepEqual(req.headers, { 'content-type': 'application/json', 'x-a': 'b', authorization: 'Bearer gsk' });
  assert.equal(openaiCompatibleAdapter.buildRequest(KEYED, input('chat', {}, false, 'mine')).headers.authorization, 'Bearer mine');
});

test('streams get include_usage, the model is the provider-side id, the client body is untouched', () => {
  const body = { model: 'local/llama3.1:8b', messages: [], stream: true, stream_options: { include_usage: false, x: 1 } };
  const before = JSON.stringify(body);
  const out = sent(openaiCompatibleAdapter.buildRequest(LOCAL, input('chat', body, true)).body);
  assert.equal(out.model, 'llama3.1:8b');
  assert.deepEqual(out.stream_options, { include_usage: true, x: 1 });
  assert.equal(JSON.stringify(body), before);
});

test('streamUsage:false leaves stream_options out but keeps streaming', () => {
  const out = sent(openaiCompatibleAdapter.buildRequest({ ...LOCAL, streamUsage: false }, input('chat', { messages: [], stream: true }, true)).body);
  assert.equal(out.stream, true);
  assert.equal('stream_options' in out, false);
});

test('responses pass raw with usage; streams hide the usage chunk unless asked', () => {
  const opts: StreamOptions = { operation: 'chat', model: 'm', clientWantsUsage: false, requestId: 'r', created: 1 };
  const r = openaiCompatibleAdapter.translateResponse(input('chat', {}), { choices: [{ finish_reason: 'length' }], usage: { prompt_tokens: 1, completion_tokens: 2 } }, opts);
  assert.deepEqual(r, { passRaw: true, usage: { inputTokens: 1, outputTokens: 2 }, finishReason: 'length' });
  const t = openaiCompatibleAdapter.streamTranslator(input('chat', {}, true), opts);
  assert.deepEqual(t.push({ event: undefined, data: '{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}', id: undefined }), {
    usage: { inputTokens: 1, outputTokens: 1 },
  });
});

test('translateError understands vLLM bodies', () => {
  const err = openaiCompatibleAdapter.translateError({ status: 400, headers: {}, bodyText: '{"object":"error","message":"bad","code":400}' });
  assert.equal(err.message, 'bad');
});

test('passthrough joins the base URL and path and adds the key', () => {
  const out = openaiCompatibleAdapter.passthrough(KEYED, { path: '/models?x=1', headers: { accept: 'application/json' } });
  assert.equal(out.url, 'https://api.groq.com/openai/v1/models?x=1');
  assert.deepEqual(out.headers, { accept: 'application/json', 'x-a': 'b', authorization: 'Bearer gsk' });
  assert.deepEqual(openaiCompatibleAdapter.passthrough(LOCAL, { path: '/models', headers: {} }).headers, {});
});
