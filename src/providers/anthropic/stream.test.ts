import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { SseParser } from '../../upstream/sse-parser.js';
import type { BuildInput, StreamOptions, StreamStep } from '../types.js';
import { AnthropicStreamTranslator } from './stream.js';

const input: BuildInput = { operation: 'chat', model: 'claude-sonnet-4-5', body: {}, stream: true };

function options(clientWantsUsage: boolean): StreamOptions {
  return { operation: 'chat', model: 'claude-sonnet-4-5', clientWantsUsage, requestId: 'req_7', created: 1_700_000_000 };
}

function sse(events: Array<Record<string, unknown>>): string {
  return events.map((e) => `event: ${String(e.type)}\ndata: ${JSON.stringify(e)}\n\n`).join('');
}

const textStream = sse([
  {
    type: 'message_start',
    message: {
      id: 'msg_abc', type: 'message', role: 'assistant', content: [], model: 'claude-sonnet-4-5-20250929',
      stop_reason: null, stop_sequence: null,
      usage: { input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 100, output_tokens: 1 },
    },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
  { type: 'ping' },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '\n\ndata: [DONE]\n\n' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } },
  { type: 'message_stop' },
]);

const toolStream = sse([
  { type: 'message_start', message: { id: 'msg_tool', model: 'claude-sonnet-4-5', usage: { input_tokens: 300, output_tokens: 2 } } },
  { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Need weather.' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'content_block_start', index: 1, content_block: { type: 'text', text: 'Checking.' } },
  { type: 'content_block_stop', index: 1 },
  { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_A', name: 'weather', input: {} } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: ' "Oslo"}' } },
  { type: 'content_block_stop', index: 2 },
  { type: 'content_block_start', index: 3, content_block: { type: 'tool_use', id: 'toolu_B', name: 'time', input: {} } },
  { type: 'content_block_delta', index: 3, delta: { type: 'input_json_delta', partial_json: '{}' } },
  { type: 'content_block_stop', index: 3 },
  { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 60 } },
  { type: 'message_stop' },
]);

/** Feeds raw bytes in awkward pieces through the real SSE parser, then through the translator. */
function run(raw: string, clientWantsUsage: boolean): StreamStep[] {
  const parser = new SseParser();
  const translator = new AnthropicStreamTranslator(input, options(clientWantsUsage));
  const bytes = Buffer.from(raw);
  const steps: StreamStep[] = [];
  for (let i = 0; i < bytes.length; i += 37) {
    for (const event of parser.push(bytes.subarray(i, i + 37))) steps.push(translator.push(event));
  }
  return steps;
}

function chunks(steps: StreamStep[]): Array<Record<string, unknown>> {
  return steps.flatMap((s) => s.emit ?? []).map((d) => JSON.parse(d) as Record<string, unknown>);
}

function deltas(steps: StreamStep[]): unknown[] {
  return chunks(steps).filter((c) => (c.choices as unknown[]).length > 0)
    .map((c) => (c.choices as Array<Record<string, unknown>>)[0]);
}

describe('AnthropicStreamTranslator', () => {
  test('a text stream becomes role, content and finish chunks, then done', () => {
    const steps = run(textStream, false);
    assert.deepEqual(deltas(steps), [
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 0, delta: { content: 'Hello' }, finish_reason: null },
      { index: 0, delta: { content: '\n\ndata: [DONE]\n\n' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'stop' },
    ]);
    for (const c of chunks(steps)) {
      assert.equal(c.id, 'msg_abc');
      assert.equal(c.object, 'chat.completion.chunk');
      assert.equal(c.created, 1_700_000_000);
      assert.equal(c.model, 'claude-sonnet-4-5-20250929');
    }
    const last = steps[steps.length - 1];
    assert.equal(last.done, true);
    assert.equal(last.emit, undefined, 'no usage chunk when the client did not ask');
    assert.deepEqual(last.usage, { inputTokens: 125, outputTokens: 15, cachedInputTokens: 100 });
    assert.equal(steps.filter((s) => s.done).length, 1);
  });

  test('model output cannot smuggle an SSE frame: payloads are single-line JSON', () => {
    for (const data of run(textStream, false).flatMap((s) => s.emit ?? [])) assert.equal(/[\r\n]/.test(data), false);
  });

  test('usage is reported as soon as known and stays cumulative', () => {
    const usages = run(textStream, false).map((s) => s.usage).filter((u) => u !== undefined);
    assert.deepEqual(usages[0], { inputTokens: 125, outputTokens: 1, cachedInputTokens: 100 });
    assert.deepEqual(usages[1], { inputTokens: 125, outputTokens: 15, cachedInputTokens: 100 });
  });

  test('the usage chunk is emitted at the end when the client asked for it', () => {
    const steps = run(textStream, true);
    const last = chunks(steps).pop();
    assert.deepEqual(last, {
      id: 'msg_abc', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'claude-sonnet-4-5-20250929',
      choices: [],
      usage: { prompt_tokens: 125, completion_tokens: 15, total_tokens: 140, prompt_tokens_details: { cached_tokens: 100 } },
    });
    assert.equal(steps[steps.length - 1].done, true);
  });

  test('tool-use blocks become indexed tool_calls deltas; thinking produces nothing', () => {
    const steps = run(toolStream, false);
    assert.deepEqual(deltas(steps), [
      { index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null },
      { index: 0, delta: { content: 'Checking.' }, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 0, id: 'toolu_A', type: 'function', function: { name: 'weather', arguments: '' } }] }, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: ' "Oslo"}' } }] }, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 1, id: 'toolu_B', type: 'function', function: { name: 'time', arguments: '' } }] }, finish_reason: null },
      { index: 0, delta: { tool_calls: [{ index: 1, function: { arguments: '{}' } }] }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'tool_calls' },
    ]);
    assert.deepEqual(steps[steps.length - 1].usage, { inputTokens: 300, outputTokens: 60 });
  });

  test('an error event ends the stream with a gateway error', () => {
    const raw = sse([
      { type: 'message_start', message: { id: 'msg_e', usage: { input_tokens: 5, output_tokens: 1 } } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hal' } },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    ]);
    const steps = run(raw, false);
    const err = steps[steps.length - 1].error;
    assert.ok(err instanceof GatewayError);
    assert.equal(err.code, 'upstream_overloaded');
    assert.equal(steps.some((s) => s.done), false);
    assert.deepEqual(steps[0].usage, { inputTokens: 5, outputTokens: 1 });
  });

  test('events are recognised by the SSE event name when the payload lacks a type', () => {
    const t = new AnthropicStreamTranslator(input, options(false));
    const step = t.push({ event: 'error', data: '{"error":{"type":"api_error","message":"boom"}}', id: undefined });
    assert.equal(step.error?.code, 'upstream_stream_interrupted');
  });

  test('unknown events, stray deltas and a message_delta without stop reason emit nothing', () => {
    const t = new AnthropicStreamTranslator(input, options(false));
    const push = (e: Record<string, unknown>) => t.push({ event: undefined, data: JSON.stringify(e), id: undefined });
    assert.deepEqual(push({ type: 'some_future_event' }), {});
    assert.deepEqual(push({ type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use' } }), {});
    assert.deepEqual(push({ type: 'content_block_delta', index: 9, delta: { type: 'input_json_delta', partial_json: '{}' } }), {});
    assert.deepEqual(push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '' } }), {});
    assert.deepEqual(push({ type: 'content_block_start', index: 0 }), {});
    assert.deepEqual(push({ type: 'content_block_delta', index: 0 }), {});
    assert.deepEqual(push({ type: 'message_delta', usage: { output_tokens: 3 } }), { usage: { inputTokens: 0, outputTokens: 3 } });
  });

  test('without message_start, chunks use the request id and requested model', () => {
    const t = new AnthropicStreamTranslator(input, options(false));
    const step = t.push({ event: 'message_start', data: '{"type":"message_start"}', id: undefined });
    const chunk = JSON.parse(step.emit?.[0] ?? '{}') as Record<string, unknown>;
    assert.equal(chunk.id, 'req_7');
    assert.equal(chunk.model, 'claude-sonnet-4-5');
  });

  test('malformed event data is a bad response', () => {
    const t = new AnthropicStreamTranslator(input, options(false));
    for (const data of ['{"type":', '[1]']) {
      assert.throws(() => t.push({ event: 'content_block_delta', data, id: undefined }),
        (err: unknown) => err instanceof GatewayError && err.code === 'upstream_bad_response');
    }
  });
});
