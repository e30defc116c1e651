import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, Operation } from '../types.js';
import { runRequestBody } from './run-request.js';

function input(operation: Operation, body: Record<string, unknown>, stream = false): BuildInput {
  return { operation, model: '@cf/meta/llama-3.1-8b-instruct', body, stream };
}

function parsed(i: BuildInput): Record<string, unknown> {
  return JSON.parse(runRequestBody(i)) as Record<string, unknown>;
}

function invalidParam(param: string) {
  return (err: unknown): boolean => err instanceof GatewayError && err.code === 'invalid_request' && err.param === param;
}

test('chat keeps the supported subset and drops the rest', () => {
  const body = {
    model: 'workers-ai/x', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, top_p: 0.9, seed: 7,
    max_tokens: 50, stop: ['x'], user: 'u1', logit_bias: {}, tools: [{ type: 'function', function: { name: 'f' } }],
    response_format: { type: 'json_object' }, presence_penalty: null,
  };
  assert.deepEqual(parsed(input('chat', body)), {
    messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, top_p: 0.9, seed: 7, max_tokens: 50,
    tools: [{ type: 'function', function: { name: 'f' } }], response_format: { type: 'json_object' },
  });
});

test('chat streams when asked and reads max_completion_tokens', () => {
  const out = parsed(input('chat', { messages: [], max_completion_tokens: 9, stream: true, stream_options: { include_usage: true } }, true));
  assert.deepEqual(out, { messages: [], max_tokens: 9, stream: true });
});

test('text content parts are joined; null content becomes empty; other fields stay', () => {
  const body = {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1' }] },
      { role: 'tool', content: 'r', tool_call_id: 'c1' },
    ],
  };
  const before = JSON.stringify(body);
  assert.deepEqual(parsed(input('chat', body)).messages, [
    { role: 'user', content: 'a\nb' },
    { role: 'assistant', content: '', tool_calls: [{ id: 'c1' }] },
    { role: 'tool', content: 'r', tool_call_id: 'c1' },
  ]);
  assert.equal(JSON.stringify(body), before, 'client body must not be mutated');
});

test('requests the run API cannot express are refused with the offending param', () => {
  const image = { type: 'image_url', image_url: { url: 'https://x/y.png' } };
  assert.throws(() => runRequestBody(input('chat', { messages: [{ role: 'user', content: [image] }] })), invalidParam('messages[0].content'));
  assert.throws(() => runRequestBody(input('chat', { messages: [{ role: 'user', content: 5 }] })), invalidParam('messages[0].content'));
  assert.throws(() => runRequestBody(input('chat', { messages: ['x'] })), invalidParam('messages[0]'));
  assert.throws(() => runRequestBody(input('chat', { messages: 'hi' })), invalidParam('messages'));
  assert.throws(() => runRequestBody(input('chat', { messages: [], n: 2 })), invalidParam('n'));
  assert.doesNotThrow(() => runRequestBody(input('chat', { messages: [], n: 1 })));
});

test('completions send one prompt string', () => {
  assert.deepEqual(parsed(input('completions', { prompt: 'once', max_tokens: 5 }, true)), { prompt: 'once', max_tokens: 5, stream: true });
  assert.deepEqual(parsed(input('completions', { prompt: ['only'] })), { prompt: 'only' });
  assert.throws(() => runRequestBody(input('completions', { prompt: ['a', 'b'] })), invalidParam('prompt'));
  assert.throws(() => runRequestBody(input('completions', { prompt: [1, 2] })), invalidParam('prompt'));
});

test('embeddings send text as an array', () => {
  assert.deepEqual(parsed(input('embeddings', { input: 'one', model: 'm' })), { text: ['one'] });
  assert.deepEqual(parsed(input('embeddings', { input: ['a', 'b'] })), { text: ['a', 'b'] });
  assert.throws(() => runRequestBody(input('embeddings', { input: [1, 2] })), invalidParam('input'));
  assert.throws(() => runRequestBody(input('embeddings', { input: [] })), invalidParam('input'));
});
