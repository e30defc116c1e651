import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, Operation, StreamOptions } from '../types.js';
import { workersAIAdapter } from './index.js';
import type { WorkersAISettings } from './settings.js';

const RUN: WorkersAISettings = { type: 'workers-ai', accountId: 'acc1', apiToken: 'tok', headers: { 'x-extra': '1' } };
const OPENAI: WorkersAISettings = { ...RUN, api: 'openai' };
const AI = 'https://api.cloudflare.com/client/v4/accounts/acc1/ai';
const CHAT_MODEL = '@cf/meta/llama-3.1-8b-instruct';

function input(operation: Operation, body: Record<string, unknown>, stream = false, credential?: string): BuildInput {
  return { operation, model: operation === 'embeddings' ? '@cf/baai/bge-base-en-v1.5' : CHAT_MODEL, body, stream, credential };
}

function options(operation: Operation, clientWantsUsage = false): StreamOptions {
  return { operation, model: CHAT_MODEL, clientWantsUsage, requestId: 'r1', created: 1 };
}

test('adapter identity, operations, default models and schema', () => {
  assert.equal(workersAIAdapter.type, 'workers-ai');
  assert.deepEqual([...workersAIAdapter.operations], ['chat', 'completions', 'embeddings']);
  assert.ok(workersAIAdapter.defaultModels.includes('@cf/meta/llama-3.1-8b-instruct'));
  assert.ok(workersAIAdapter.defaultModels.includes('@cf/baai/bge-base-en-v1.5'));
  assert.equal(workersAIAdapter.settingsSchema.safeParse({ type: 'workers-ai', accountId: 'a', apiKey: 'k' }).success, false);
});

test('fromEnv creates the workers-ai provider from Cloudflare variables', () => {
  assert.deepEqual(workersAIAdapter.fromEnv({ CLOUDFLARE_ACCOUNT_ID: 'a', CLOUDFLARE_API_TOKEN: 't' }), {
    'workers-ai': { type: 'workers-ai', accountId: 'a', apiToken: 't' },
  });
  assert.deepEqual(workersAIAdapter.fromEnv({}), {});
});

test('run mode chat: model in the path, bearer token, extra headers, run body', () => {
  const req = workersAIAdapter.buildRequest(RUN, input('chat', { model: 'workers-ai/x', messages: [{ role: 'user', content: 'hi' }] }, true));
  assert.equal(req.method, 'POST');
  assert.equal(req.url, `${AI}/run/${CHAT_MODEL}`);
  assert.deepEqual(req.headers, { 'content-type': 'application/json', 'x-extra': '1', authorization: 'Bearer tok' });
  assert.deepEqual(JSON.parse(String(req.body)), { messages: [{ role: 'user', content: 'hi' }], stream: true });
});

test('run mode completions and embeddings', () => {
  const c = workersAIAdapter.buildRequest(RUN, input('completions', { prompt: 'p' }));
  assert.equal(c.url, `${AI}/run/${CHAT_MODEL}`);
  assert.deepEqual(JSON.parse(String(c.body)), { prompt: 'p' });
  const e = workersAIAdapter.buildRequest(RUN, input('embeddings', { input: 'x' }));
  assert.equal(e.url, `${AI}/run/@cf/baai/bge-base-en-v1.5`);
  assert.deepEqual(JSON.parse(String(e.body)), { text: ['x'] });
});

test('a client credential replaces the configured token', () => {
  const req = workersAIAdapter.buildRequest(RUN, input('chat', { messages: [] }, false, 'client-tok'));
  assert.equal(req.headers.authorization, 'Bearer client-tok');
});

test('unsafe model ids are refused before any URL is built', () => {
  const bad = { ...input('chat', { messages: [] }), model: '../../zones' };
  assert.throws(() => workersAIAdapter.buildRequest(RUN, bad), (e: unknown) => e instanceof GatewayError && e.code === 'invalid_request');
});

test('openai mode: chat and embeddings use ai/v1 with include_usage added and the client body untouched', () => {
  const body = { model: 'workers-ai/@cf/x', messages: [{ role: 'user', content: 'hi' }], stream: true };
  const before = JSON.stringify(body);
  const req = workersAIAdapter.buildRequest(OPENAI, input('chat', body, true));
  assert.equal(req.url, `${AI}/v1/chat/completions`);
  assert.equal(req.headers.authorization, 'Bearer tok');
  assert.equal(req.headers['x-extra'], '1');
  const sent = JSON.parse(String(req.body)) as Record<string, unknown>;
  assert.equal(sent.model, CHAT_MODEL);
  assert.deepEqual(sent.stream_options, { include_usage: true });
  assert.equal(JSON.stringify(body), before);
  const e = workersAIAdapter.buildRequest(OPENAI, input('embeddings', { input: 'x' }));
  assert.equal(e.url, `${AI}/v1/embeddings`);
});

test('openai mode: completions fall back to the run API', () => {
  const req = workersAIAdapter.buildRequest(OPENAI, input('completions', { prompt: 'p' }));
  assert.equal(req.url, `${AI}/run/${CHAT_MODEL}`);
});

test('translateResponse dispatches on shape: run envelope vs OpenAI body', () => {
  const run = workersAIAdapter.translateResponse(input('chat', {}), { result: { response: 'x' }, success: true }, options('chat'));
  assert.equal(run.body?.object, 'chat.completion');
  const oa = workersAIAdapter.translateResponse(input('chat', {}), {
    object: 'chat.completion', choices: [{ finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 4 },
  }, options('chat'));
  assert.deepEqual(oa, { passRaw: true, usage: { inputTokens: 3, outputTokens: 4 }, finishReason: 'stop' });
});

test('streamTranslator translates run events', () => {
  const t = workersAIAdapter.streamTranslator(input('chat', {}, true), options('chat'));
  const step = t.push({ event: undefined, data: '{"response":"a"}', id: undefined });
  assert.equal(step.emit?.length, 1);
  assert.deepEqual(t.push({ event: undefined, data: '[DONE]', id: undefined }).done, true);
});

test('translateError reads the Cloudflare envelope', () => {
  const err = workersAIAdapter.translateError({ status: 400, headers: {}, bodyText: '{"success":false,"errors":[{"code":5007,"message":"No such model"}]}' });
  assert.equal(err.providerCode, '5007');
});

test('passthrough: run and /v1 shapes, bearer token over client headers', () => {
  const run = workersAIAdapter.passthrough(RUN, { path: `/${CHAT_MODEL}`, headers: { accept: 'text/event-stream', authorization: 'Bearer nope' } });
  assert.equal(run.url, `${AI}/run/${CHAT_MODEL}`);
  assert.deepEqual(run.headers, { accept: 'text/event-stream', authorization: 'Bearer tok', 'x-extra': '1' });
  const v1 = workersAIAdapter.passthrough(RUN, { path: '/v1/embeddings', headers: {}, credential: 'c' });
  assert.equal(v1.url, `${AI}/v1/embeddings`);
  assert.equal(v1.headers.authorization, 'Bearer c');
});
