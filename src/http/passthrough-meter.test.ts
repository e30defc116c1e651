// Unit tests for the pass-through meter: usage read from a JSON answer (plain and gzip), from an
// SSE stream split at arbitrary byte boundaries (Anthropic's message_start + message_delta
// counts), nothing read from error statuses, oversized or compressed streams, a stream
// that breaks off before its end marker marked partial with what it delivered, and a call's
// own answer reader (Responses API) used instead of the adapter's translators.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { RequestContext } from '../pipeline/context.js';
import { anthropicAdapter } from '../providers/anthropic/index.js';
import { openaiAdapter } from '../providers/openai/index.js';
import { RESPONSES_ANSWER } from '../providers/openai-shared/responses-answer.js';
import type { BuildInput } from '../providers/types.js';
import { PassthroughMeter } from './passthrough-meter.js';

function ctx(): RequestContext {
  return { id: 'r1', receivedAt: 0, stream: false, partial: false, usage: undefined, delivered: [] } as unknown as RequestContext;
}

const chatInput: BuildInput = { operation: 'chat', model: 'm', body: {}, stream: false };
const json = { 'content-type': 'application/json' };
const sse = { 'content-type': 'text/event-stream; charset=utf-8' };

const ANTHROPIC_STREAM = [
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"m","usage":{"input_tokens":12,"output_tokens":1}}}\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":7}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
].join('');

function feed(meter: PassthroughMeter, bytes: Buffer, piece: number): void {
  for (let i = 0; i < bytes.length; i += piece) meter.observe(bytes.subarray(i, i + piece));
}

describe('PassthroughMeter', () => {
  test('JSON answers, plain and gzip-encoded', () => {
    const body = Buffer.from(JSON.stringify({ choices: [{ finish_reason: 'stop' }], usage: { prompt_tokens: 4, completion_tokens: 3 } }));
    for (const [bytes, headers] of [[body, json], [gzipSync(body), { ...json, 'content-encoding': 'gzip' }]] as const) {
      const c = ctx();
      const m = new PassthroughMeter(c, openaiAdapter, chatInput, 200, headers);
      feed(m, bytes, 7);
      m.finish(true);
      assert.deepEqual(c.usage, { inputTokens: 4, outputTokens: 3 });
      assert.equal(c.stream, false);
    }
  });

  test('an error status, a cut JSON body or an unknown encoding leaves usage unread', () => {
    const body = Buffer.from('{"usage":{"prompt_tokens":4,"completion_tokens":3}}');
    const cases: Array<[number, Record<string, string>, boolean]> = [[400, json, true], [200, json, false], [200, { ...json, 'content-encoding': 'zstd' }, true]];
    for (const [status, headers, complete] of cases) {
      const c = ctx();
      const m = new PassthroughMeter(c, openaiAdapter, chatInput, status, headers);
      m.observe(body);
      m.finish(complete);
      assert.equal(c.usage, undefined);
    }
  });

  test('an Anthropic stream split anywhere yields the final counts', () => {
    for (const piece of [1, 5, 64, 4096]) {
      const c = ctx();
      const m = new PassthroughMeter(c, anthropicAdapter, chatInput, 200, sse);
      feed(m, Buffer.from(ANTHROPIC_STREAM), piece);
      m.finish(true);
      assert.deepEqual(c.usage, { inputTokens: 12, outputTokens: 7 });
      assert.equal(c.stream, true);
      assert.equal(c.partial, false);
    }
  });

  test('a stream that breaks off is partial and keeps the text it delivered', () => {
    const c = ctx();
    const m = new PassthroughMeter(c, anthropicAdapter, chatInput, 200, sse);
    const cut = ANTHROPIC_STREAM.indexOf('event: message_delta');
    m.observe(Buffer.from(ANTHROPIC_STREAM.slice(0, cut)));
    m.finish(false);
    assert.equal(c.partial, true);
    assert.deepEqual(c.usage, { inputTokens: 12, outputTokens: 1 });
    assert.ok(c.delivered.some((p) => p.includes('Hello')));
  });

  test("a call's own reader reads Responses JSON and typed-event streams, cut or complete", () => {
    const usage = { input_tokens: 10, output_tokens: 4, input_tokens_details: { cached_tokens: 6 } };
    const c = ctx();
    const m = new PassthroughMeter(c, openaiAdapter, chatInput, 200, json, RESPONSES_ANSWER);
    feed(m, Buffer.from(JSON.stringify({ object: 'response', output: [], usage })), 3);
    m.finish(true);
    assert.deepEqual(c.usage, { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6 });
    const stream = [
      'event: response.created\ndata: {"type":"response.created","response":{"usage":null}}\n\n',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi"}\n\n',
      `event: response.completed\ndata: ${JSON.stringify({ type: 'response.completed', response: { usage } })}\n\n`,
    ].join('');
    for (const cutAt of [stream.length, stream.indexOf('event: response.completed')]) {
      const s = ctx();
      const ms = new PassthroughMeter(s, openaiAdapter, chatInput, 200, sse, RESPONSES_ANSWER);
      feed(ms, Buffer.from(stream.slice(0, cutAt)), 5);
      ms.finish(cutAt === stream.length);
      assert.equal(s.partial, cutAt !== stream.length);
      assert.deepEqual(s.usage, cutAt === stream.length ? { inputTokens: 10, outputTokens: 4, cachedInputTokens: 6 } : undefined);
      assert.deepEqual(s.delivered, ['{"choices":[{"index":0,"delta":{"content":"Hi"}}]}']);
    }
  });

  test('a gzip-encoded stream is relayed but not parsed', () => {
    const c = ctx();
    const m = new PassthroughMeter(c, anthropicAdapter, chatInput, 200, { ...sse, 'content-encoding': 'gzip' });
    m.observe(gzipSync(ANTHROPIC_STREAM));
    m.finish(true);
    assert.equal(c.stream, true);
    assert.equal(c.usage, undefined);
  });

  test('an oversized SSE event stops metering without throwing', () => {
    const c = ctx();
    const m = new PassthroughMeter(c, openaiAdapter, chatInput, 200, sse);
    m.observe(Buffer.from(`data: ${'x'.repeat(2 * 1024 * 1024)}`));
    m.observe(Buffer.from('\n\ndata: {"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1}}\n\n'));
    m.finish(true);
    assert.equal(c.usage, undefined);
  });
});
