import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { Operation, StreamStep } from '../types.js';
import { WorkersAIStreamTranslator } from './run-stream.js';

const MODEL = '@cf/meta/llama-3.1-8b-instruct';

function translator(operation: Operation, clientWantsUsage: boolean): WorkersAIStreamTranslator {
  return new WorkersAIStreamTranslator({ operation, model: MODEL, clientWantsUsage, requestId: 'req-9', created: 1700000001 });
}

function feed(t: WorkersAIStreamTranslator, payloads: string[]): StreamStep[] {
  return payloads.map((data) => t.push({ event: undefined, data, id: undefined }));
}

function emitted(steps: StreamStep[]): Array<Record<string, unknown>> {
  return steps.flatMap((s) => s.emit ?? []).map((e) => JSON.parse(e) as Record<string, unknown>);
}

const CHAT_EVENTS = [
  '{"response":"Hel","p":"abc"}',
  '{"response":"lo","p":"abcdef"}',
  '{"response":"","usage":{"prompt_tokens":10,"completion_tokens":2,"total_tokens":12}}',
  '[DONE]',
];

function chunk(delta: Record<string, unknown>, finish: string | null): Record<string, unknown> {
  return {
    id: 'req-9', object: 'chat.completion.chunk', created: 1700000001, model: MODEL,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  };
}

test('chat stream without client usage: role first, text, stop, no usage chunk', () => {
  const steps = feed(translator('chat', false), CHAT_EVENTS);
  assert.deepEqual(emitted(steps), [
    chunk({ role: 'assistant', content: 'Hel' }, null),
    chunk({ content: 'lo' }, null),
    chunk({}, 'stop'),
  ]);
  assert.deepEqual(steps[2].usage, { inputTokens: 10, outputTokens: 2 });
  assert.equal(steps[3].done, true);
  assert.equal(steps.slice(0, 3).some((s) => s.done), false);
});

test('chat stream with client usage ends with a usage chunk', () => {
  const out = emitted(feed(translator('chat', true), CHAT_EVENTS));
  assert.deepEqual(out.at(-1), {
    id: 'req-9', object: 'chat.completion.chunk', created: 1700000001, model: MODEL, choices: [],
    usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 },
  });
  assert.equal(out.length, 4);
});

test('no usage chunk is invented when the provider reported none', () => {
  const out = emitted(feed(translator('chat', true), ['{"response":"x"}', '[DONE]']));
  assert.deepEqual(out, [chunk({ role: 'assistant', content: 'x' }, null), chunk({}, 'stop')]);
});

test('an empty stream still gives the client a role and a stop', () => {
  assert.deepEqual(emitted(feed(translator('chat', false), ['[DONE]'])), [chunk({ role: 'assistant', content: '' }, 'stop')]);
});

test('streamed tool calls become indexed tool_call deltas and finish with tool_calls', () => {
  const steps = feed(translator('chat', false), ['{"response":"","tool_calls":[{"name":"f","arguments":{"a":1}}]}', '[DONE]']);
  assert.deepEqual(emitted(steps), [
    chunk({ role: 'assistant', content: '' }, null),
    chunk({ tool_calls: [{ index: 0, id: 'call_req-9_0', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] }, null),
    chunk({}, 'tool_calls'),
  ]);
});

test('completions stream emits text_completion chunks and skips empty text', () => {
  const steps = feed(translator('completions', true), CHAT_EVENTS);
  const text = (t: string, finish: string | null): Record<string, unknown> => ({
    id: 'req-9', object: 'text_completion', created: 1700000001, model: MODEL,
    choices: [{ index: 0, text: t, logprobs: null, finish_reason: finish }],
  });
  assert.deepEqual(emitted(steps), [
    text('Hel', null), text('lo', null), text('', 'stop'),
    { id: 'req-9', object: 'text_completion', created: 1700000001, model: MODEL, choices: [], usage: { prompt_tokens: 10, completion_tokens: 2, total_tokens: 12 } },
  ]);
});

test('events after [DONE] are ignored', () => {
  const t = translator('chat', false);
  feed(t, ['[DONE]']);
  assert.deepEqual(t.push({ event: undefined, data: '{"response":"late"}', id: undefined }), {});
});

test('OpenAI-format chunks hand the stream to the shared translator', () => {
  const first = '{"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"hi"}}]}';
  const usage = '{"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":4,"completion_tokens":1}}';
  const steps = feed(translator('chat', false), [first, usage, '[DONE]']);
  assert.deepEqual(steps[0], { emit: [first] });
  assert.deepEqual(steps[1], { usage: { inputTokens: 4, outputTokens: 1 } });
  assert.deepEqual(steps[2], { done: true });
});

test('in-stream errors become stream errors', () => {
  const isInterrupted = (s: StreamStep, message?: string): boolean =>
    s.error instanceof GatewayError && s.error.code === 'upstream_stream_interrupted' && (message === undefined || s.error.message === message);
  const [byErrors] = feed(translator('chat', false), ['{"success":false,"errors":[{"code":3010,"message":"Invalid input"}]}']);
  assert.ok(isInterrupted(byErrors, 'Invalid input'));
  const [byField] = feed(translator('chat', false), ['{"error":"model crashed"}']);
  assert.ok(isInterrupted(byField, 'model crashed'));
  const named = translator('chat', false).push({ event: 'error', data: 'boom', id: undefined });
  assert.ok(isInterrupted(named));
});

test('malformed events are bad responses', () => {
  const bad = (err: unknown): boolean => err instanceof GatewayError && err.code === 'upstream_bad_response';
  assert.throws(() => feed(translator('chat', false), ['{"response":']), bad);
  assert.throws(() => feed(translator('chat', false), ['42']), bad);
});
