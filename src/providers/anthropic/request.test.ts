import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput } from '../types.js';
import { messagesRequestBody } from './request.js';

function input(body: Record<string, unknown>, stream = false): BuildInput {
  return { operation: 'chat', model: 'claude-sonnet-4-5', body: { model: 'anthropic/claude-sonnet-4-5', ...body }, stream };
}

const hello = [{ role: 'user', content: 'Hello' }];

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, 'invalid_request');
    return err.param;
  }
  assert.fail('expected an invalid_request error');
}

describe('messagesRequestBody', () => {
  test('a minimal request gets the provider model id and the default max_tokens, nothing else', () => {
    assert.deepEqual(messagesRequestBody(input({ messages: hello }), 4096), {
      model: 'claude-sonnet-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: 'Hello' }],
    });
  });

  test('shared parameters are translated and unknown ones left out', () => {
    const body = messagesRequestBody(input({
      messages: [{ role: 'system', content: 'Be terse.' }, ...hello],
      max_tokens: 100,
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END', '  ', 'STOP'],
      user: 'user-42',
      n: 1,
      seed: 7,
      logprobs: true,
      presence_penalty: 0.5,
      response_format: { type: 'json_object' },
      stream_options: { include_usage: true },
    }, true), 1000);
    assert.deepEqual(body, {
      model: 'claude-sonnet-4-5',
      max_tokens: 100,
      system: 'Be terse.',
      messages: [{ role: 'user', content: 'Hello' }],
      temperature: 0.3,
      top_p: 0.9,
      stop_sequences: ['END', 'STOP'],
      metadata: { user_id: 'user-42' },
      stream: true,
    });
  });

  test('max_completion_tokens wins over max_tokens; a string stop becomes a list', () => {
    const body = messagesRequestBody(input({ messages: hello, max_tokens: 10, max_completion_tokens: 20, stop: 'X' }), 4096);
    assert.equal(body.max_tokens, 20);
    assert.deepEqual(body.stop_sequences, ['X']);
    assert.equal('stream' in body, false);
  });

  test('temperatures above the provider maximum are clamped to 1', () => {
    assert.equal(messagesRequestBody(input({ messages: hello, temperature: 1.7 }), 1).temperature, 1);
    assert.equal(messagesRequestBody(input({ messages: hello, temperature: 0 }), 1).temperature, 0);
  });

  test('whitespace-only stop sequences alone send no stop_sequences', () => {
    assert.equal('stop_sequences' in messagesRequestBody(input({ messages: hello, stop: [' '] }), 1), false);
  });

  test('tools are included with their choice', () => {
    const body = messagesRequestBody(input({
      messages: hello,
      tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object' } } }],
      tool_choice: 'required',
    }), 1);
    assert.deepEqual(body.tools, [{ name: 'f', input_schema: { type: 'object' } }]);
    assert.deepEqual(body.tool_choice, { type: 'any' });
  });

  test('the client body is not mutated', () => {
    const original = input({ messages: [{ role: 'system', content: 's' }, ...hello], stop: 'X' });
    const snapshot = structuredClone(original.body);
    messagesRequestBody(original, 1);
    assert.deepEqual(original.body, snapshot);
  });

  test('n other than 1, bad max tokens and bad stop are refused naming the parameter', () => {
    assert.equal(paramOf(() => messagesRequestBody(input({ messages: hello, n: 2 }), 1)), 'n');
    assert.equal(paramOf(() => messagesRequestBody(input({ messages: hello, max_tokens: 0 }), 1)), 'max_tokens');
    assert.equal(paramOf(() => messagesRequestBody(input({ messages: hello, max_tokens: 1.5 }), 1)), 'max_tokens');
    assert.equal(paramOf(() => messagesRequestBody(input({ messages: hello, max_completion_tokens: '9' }), 1)), 'max_completion_tokens');
    assert.equal(paramOf(() => messagesRequestBody(input({ messages: hello, stop: [1] }), 1)), 'stop');
    assert.equal(paramOf(() => messagesRequestBody(input({ messages: hello, stop: 5 }), 1)), 'stop');
    assert.equal(paramOf(() => messagesRequestBody(input({}), 1)), 'messages');
  });
});
