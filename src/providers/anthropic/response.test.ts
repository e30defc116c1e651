import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput, StreamOptions } from '../types.js';
import { chatCompletionFrom } from './response.js';

const input: BuildInput = { operation: 'chat', model: 'claude-sonnet-4-5', body: {}, stream: false };
const options: StreamOptions = { operation: 'chat', model: 'claude-sonnet-4-5', clientWantsUsage: false, requestId: 'req_1', created: 1_700_000_000 };

function answer(overrides: Record<string, unknown>): Record<string, unknown> {
  return {
    id: 'msg_01', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
    content: [{ type: 'text', text: 'Hi there.' }],
    stop_reason: 'end_turn', stop_sequence: null,
    usage: { input_tokens: 12, output_tokens: 5 },
    ...overrides,
  };
}

describe('chatCompletionFrom', () => {
  test('a text answer becomes a chat.completion with usage', () => {
    const out = chatCompletionFrom(answer({}), input, options);
    assert.deepEqual(out.body, {
      id: 'msg_01',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'claude-sonnet-4-5-20250929',
      choices: [{ index: 0, message: { role: 'assistant', content: 'Hi there.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 12, completion_tokens: 5, total_tokens: 17, prompt_tokens_details: { cached_tokens: 0 } },
    });
    assert.deepEqual(out.usage, { inputTokens: 12, outputTokens: 5 });
    assert.equal(out.finishReason, 'stop');
    assert.equal(out.passRaw, undefined);
  });

  test('text blocks are joined; tool_use blocks become tool_calls; thinking is left out', () => {
    const out = chatCompletionFrom(answer({
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'text', text: 'Let me ' },
        { type: 'text', text: 'check.' },
        { type: 'tool_use', id: 'toolu_9', name: 'weather', input: { city: 'Oslo', days: 2 } },
        'junk',
      ],
      stop_reason: 'tool_use',
    }), input, options);
    const choice = (out.body?.choices as Array<Record<string, unknown>>)[0];
    assert.deepEqual(choice.message, {
      role: 'assistant',
      content: 'Let me check.',
      refusal: null,
      tool_calls: [{ id: 'toolu_9', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo","days":2}' } }],
    });
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(out.finishReason, 'tool_calls');
  });

  test('a pure tool-call answer has null content', () => {
    const out = chatCompletionFrom(answer({ content: [{ type: 'tool_use', id: 't', name: 'f', input: {} }], stop_reason: 'tool_use' }), input, options);
    const message = (out.body?.choices as Array<Record<string, Record<string, unknown>>>)[0].message;
    assert.equal(message.content, null);
    assert.deepEqual(message.tool_calls, [{ id: 't', type: 'function', function: { name: 'f', arguments: '{}' } }]);
  });

  test('an empty answer has empty string content', () => {
    const out = chatCompletionFrom(answer({ content: [] }), input, options);
    const message = (out.body?.choices as Array<Record<string, Record<string, unknown>>>)[0].message;
    assert.equal(message.content, '');
  });

  test('each stop reason maps to its finish reason', () => {
    const cases: Array<[unknown, string]> = [
      ['end_turn', 'stop'], ['stop_sequence', 'stop'], ['max_tokens', 'length'], ['tool_use', 'tool_calls'],
      ['refusal', 'content_filter'], ['pause_turn', 'stop'], ['model_context_window_exceeded', 'length'],
      ['something_new', 'stop'], [null, 'stop'],
    ];
    for (const [stop_reason, expected] of cases) {
      assert.equal(chatCompletionFrom(answer({ stop_reason }), input, options).finishReason, expected, String(stop_reason));
    }
  });

  test('cache reads and writes count as prompt tokens, with the read part called out', () => {
    const out = chatCompletionFrom(answer({
      usage: { input_tokens: 10, cache_read_input_tokens: 2000, cache_creation_input_tokens: 300, output_tokens: 40 },
    }), input, options);
    assert.deepEqual(out.body?.usage, {
      prompt_tokens: 2310, completion_tokens: 40, total_tokens: 2350, prompt_tokens_details: { cached_tokens: 2000 },
    });
    assert.deepEqual(out.usage, { inputTokens: 2310, outputTokens: 40, cachedInputTokens: 2000, cacheWriteTokens: 300 });
  });

  test('missing id, model and usage fall back to the request values and zero', () => {
    const out = chatCompletionFrom({ content: [{ type: 'text', text: 'x' }] }, input, options);
    assert.equal(out.body?.id, 'req_1');
    assert.equal(out.body?.model, 'claude-sonnet-4-5');
    assert.deepEqual(out.usage, { inputTokens: 0, outputTokens: 0 });
  });

  test('an answer without a content list is a bad response', () => {
    for (const json of [null, 'text', { type: 'error', error: { type: 'api_error', message: 'x' } }]) {
      assert.throws(() => chatCompletionFrom(json, input, options), (err: unknown) => err instanceof GatewayError && err.code === 'upstream_bad_response');
    }
  });
});
