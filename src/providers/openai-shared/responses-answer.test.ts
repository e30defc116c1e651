// Unit tests for reading Responses API usage: the JSON answer's usage (cached input tokens kept
// apart and never above the input), the stream's terminal events (completed, incomplete,
// failed) as the end with usage, text / refusal / tool-argument deltas kept as chat-chunk
// payloads for estimates, and events it cannot read skipped rather than thrown on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deliveredText } from '../../metering/settle-usage.js';
import type { SseEvent } from '../../upstream/sse-parser.js';
import type { StreamOptions } from '../types.js';
import { RESPONSES_ANSWER, usageFromResponses } from './responses-answer.js';

const options: StreamOptions = { operation: 'chat', model: 'm', clientWantsUsage: false, requestId: 'r', created: 0 };
const raw = (event: string | undefined, data: string): SseEvent => ({ event, data, id: undefined });
const ev = (type: string, payload: Record<string, unknown>, named = true): SseEvent => raw(named ? type : undefined, JSON.stringify({ type, ...payload }));

test('JSON usage: input, output, cached input; absent or malformed usage reads as none', () => {
  const usage = { input_tokens: 120, output_tokens: 30, input_tokens_details: { cached_tokens: 100 }, output_tokens_details: { reasoning_tokens: 12 } };
  assert.deepEqual(RESPONSES_ANSWER.usageOf({ object: 'response', usage }), { inputTokens: 120, outputTokens: 30, cachedInputTokens: 100 });
  assert.deepEqual(usageFromResponses({ input_tokens: 5, output_tokens: 2, input_tokens_details: { cached_tokens: 0 } }), { inputTokens: 5, outputTokens: 2 });
  assert.deepEqual(usageFromResponses({ input_tokens: 5, output_tokens: -1, input_tokens_details: { cached_tokens: 9 } }), { inputTokens: 5, outputTokens: 0, cachedInputTokens: 5 });
  assert.equal(RESPONSES_ANSWER.usageOf({ object: 'response', usage: null }), undefined);
  assert.equal(RESPONSES_ANSWER.usageOf([1]), undefined);
});

test('a stream: deltas become chat-chunk text, the terminal event brings usage and the end', () => {
  const t = RESPONSES_ANSWER.streamTranslator(options);
  assert.deepEqual(t.push(ev('response.created', { response: { usage: null } })), {});
  const emitted: string[] = [];
  for (const [type, delta] of [['response.output_text.delta', 'Hel'], ['response.output_text.delta', 'lo'], ['response.refusal.delta', '!'], ['response.function_call_arguments.delta', '{}']]) {
    emitted.push(...(t.push(ev(type, { delta }, type !== 'response.refusal.delta')).emit ?? []));
  }
  assert.equal(deliveredText(emitted), 'Hello!{}');
  const end = t.push(ev('response.completed', { response: { usage: { input_tokens: 8, output_tokens: 4, input_tokens_details: { cached_tokens: 2 } } } }));
  assert.deepEqual(end, { usage: { inputTokens: 8, outputTokens: 4, cachedInputTokens: 2 }, done: true });
});

test('incomplete and failed responses end the stream with their usage; a terminal event without usage still ends it', () => {
  for (const type of ['response.incomplete', 'response.failed']) {
    const step = RESPONSES_ANSWER.streamTranslator(options).push(ev(type, { response: { usage: { input_tokens: 3, output_tokens: 1 } } }));
    assert.deepEqual(step, { usage: { inputTokens: 3, outputTokens: 1 }, done: true });
  }
  assert.deepEqual(RESPONSES_ANSWER.streamTranslator(options).push(ev('response.completed', { response: {} })), { done: true });
});

test('unreadable or unrelated events are skipped, never thrown on', () => {
  const t = RESPONSES_ANSWER.streamTranslator(options);
  assert.deepEqual(t.push(raw('response.completed', '{not json')), {});
  assert.deepEqual(t.push(raw(undefined, '[DONE]')), {});
  assert.deepEqual(t.push(ev('response.output_text.done', { text: 'Hello' })), {});
  assert.deepEqual(t.push(ev('response.output_text.delta', { delta: 7 })), {});
  assert.deepEqual(t.push(raw('error', '{"type":"error","message":"boom"}')), {});
});
