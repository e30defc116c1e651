import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, Operation, StreamOptions } from '../types.js';
import { isRunEnvelope, translateRunResponse } from './run-response.js';

const MODEL = '@cf/meta/llama-3.1-8b-instruct';

function input(operation: Operation, body: Record<string, unknown> = {}): BuildInput {
  return { operation, model: MODEL, body, stream: false };
}

function options(operation: Operation): StreamOptions {
  return { operation, model: MODEL, clientWantsUsage: false, requestId: 'req-1', created: 1700000000 };
}

function envelope(result: unknown): Record<string, unknown> {
  return { result, success: true, errors: [], messages: [] };
}

test('chat: builds a complete chat.completion with usage', () => {
  const json = envelope({ response: 'Hello!', usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } });
  const out = translateRunResponse(input('chat'), json, options('chat'));
  assert.deepEqual(out.body, {
    id: 'req-1', object: 'chat.completion', created: 1700000000, model: MODEL,
    choices: [{ index: 0, message: { role: 'assistant', content: 'Hello!' }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 },
  });
  assert.deepEqual(out.usage, { inputTokens: 12, outputTokens: 3 });
  assert.equal(out.finishReason, 'stop');
  assert.equal(out.passRaw, undefined);
});

test('chat: tool calls give finish_reason tool_calls and null content', () => {
  const json = envelope({ response: null, tool_calls: [{ name: 'weather', arguments: { city: 'Oslo' } }] });
  const out = translateRunResponse(input('chat'), json, options('chat'));
  const choice = (out.body?.choices as Array<Record<string, unknown>>)[0];
  assert.deepEqual(choice.message, {
    role: 'assistant', content: null,
    tool_calls: [{ id: 'call_req-1_0', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }],
  });
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(out.usage, undefined);
  assert.equal('usage' in (out.body ?? {}), false);
});

test('chat: a JSON-mode object response is returned as text', () => {
  const out = translateRunResponse(input('chat'), envelope({ response: { a: 1 } }), options('chat'));
  const choice = (out.body?.choices as Array<Record<string, unknown>>)[0];
  assert.deepEqual(choice.message, { role: 'assistant', content: '{"a":1}' });
});

test('an OpenAI-shaped result inside the envelope is passed on as the body', () => {
  const result = {
    id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'length' }],
    usage: { prompt_tokens: 1, completion_tokens: 2 },
  };
  const out = translateRunResponse(input('chat'), envelope(result), options('chat'));
  assert.equal(out.body, result);
  assert.deepEqual(out.usage, { inputTokens: 1, outputTokens: 2 });
  assert.equal(out.finishReason, 'length');
  assert.equal(translateRunResponse(input('chat'), envelope({ choices: [] }), options('chat')).finishReason, undefined);
});

test('completions: builds a text_completion', () => {
  const json = envelope({ response: 'once upon', usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 } });
  const out = translateRunResponse(input('completions'), json, options('completions'));
  assert.deepEqual(out.body, {
    id: 'req-1', object: 'text_completion', created: 1700000000, model: MODEL,
    choices: [{ index: 0, text: 'once upon', logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 2, completion_tokens: 2, total_tokens: 4 },
  });
  assert.deepEqual(out.usage, { inputTokens: 2, outputTokens: 2 });
  const empty = translateRunResponse(input('completions'), envelope({}), options('completions'));
  assert.equal((empty.body?.choices as Array<Record<string, unknown>>)[0].text, '');
});

test('embeddings: float vectors become an OpenAI list without gateway usage', () => {
  const json = envelope({ shape: [2, 2], data: [[0.5, 1], [-2, 0]] });
  const out = translateRunResponse(input('embeddings', { input: ['a', 'b'] }), json, options('embeddings'));
  assert.deepEqual(out.body, {
    object: 'list',
    data: [{ object: 'embedding', index: 0, embedding: [0.5, 1] }, { object: 'embedding', index: 1, embedding: [-2, 0] }],
    model: MODEL,
    usage: { prompt_tokens: 0, total_tokens: 0 },
  });
  assert.equal(out.usage, undefined);
});

test('embeddings: base64 is honoured, as the OpenAI SDK asks for it by default', () => {
  const json = envelope({ shape: [1, 1], data: [[1]] });
  const out = translateRunResponse(input('embeddings', { input: 'a', encoding_format: 'base64' }), json, options('embeddings'));
  assert.equal((out.body?.data as Array<Record<string, unknown>>)[0].embedding, 'AACAPw==');
});

test('a 200 envelope reporting failure, or without a usable result, is an error', () => {
  const failed = { result: null, success: false, errors: [{ code: 3040, message: 'Capacity temporarily exceeded' }] };
  assert.throws(() => translateRunResponse(input('chat'), failed, options('chat')), (err: unknown) =>
    err instanceof GatewayError && err.code === 'upstream_server_error' && err.message === 'Capacity temporarily exceeded');
  assert.throws(() => translateRunResponse(input('chat'), { success: false }, options('chat')), (err: unknown) =>
    err instanceof GatewayError && err.code === 'upstream_server_error');
  const bad = (err: unknown): boolean => err instanceof GatewayError && err.code === 'upstream_bad_response';
  assert.throws(() => translateRunResponse(input('chat'), { success: true }, options('chat')), bad);
  assert.throws(() => translateRunResponse(input('chat'), null, options('chat')), bad);
  assert.throws(() => translateRunResponse(input('embeddings'), envelope({ data: 'x' }), options('embeddings')), bad);
  assert.throws(() => translateRunResponse(input('embeddings'), envelope({ data: [1, 2] }), options('embeddings')), bad);
});

test('run envelopes are told apart from OpenAI bodies', () => {
  assert.equal(isRunEnvelope(envelope({})), true);
  assert.equal(isRunEnvelope({ success: false, errors: [] }), true);
  assert.equal(isRunEnvelope({ object: 'chat.completion', choices: [] }), false);
  assert.equal(isRunEnvelope(null), false);
  assert.equal(isRunEnvelope('x'), false);
});
