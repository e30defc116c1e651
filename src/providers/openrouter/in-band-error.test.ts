import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { StreamStep } from '../types.js';
import { inBandError, inBandGatewayError, OpenRouterStreamTranslator } from './in-band-error.js';

test('inBandError reads the top-level error object and its status-like code', () => {
  assert.deepEqual(inBandError({ error: { code: 429, message: 'slow' } }), { status: 429, message: 'slow' });
  assert.deepEqual(inBandError({ error: { code: 'server_error', message: 'x' } }), { status: 502, message: 'x' });
  assert.deepEqual(inBandError({ error: { code: 200 } }), { status: 502, message: undefined });
  assert.equal(inBandError({ choices: [] }), undefined);
  assert.equal(inBandError({ error: 'text' }), undefined);
  assert.equal(inBandError(null), undefined);
});

test('inBandGatewayError maps through the shared status table', () => {
  assert.equal(inBandGatewayError({ status: 502, message: 'down' }).code, 'upstream_server_error');
  const limited = inBandGatewayError({ status: 429, message: 'slow' });
  assert.equal(limited.code, 'upstream_rate_limited');
  assert.equal(limited.message, 'slow');
});

function push(t: OpenRouterStreamTranslator, data: string): StreamStep {
  return t.push({ event: undefined, data, id: undefined });
}

test('mid-stream error chunks become stream errors, even with choices alongside', () => {
  const t = new OpenRouterStreamTranslator({ clientWantsUsage: false });
  const data = '{"id":"g1","object":"chat.completion.chunk","provider":"x","error":{"code":"server_error","message":"Provider disconnected"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]}';
  const step = push(t, data);
  assert.ok(step.error instanceof GatewayError);
  assert.equal(step.error.code, 'upstream_stream_interrupted');
  assert.equal(step.error.message, 'Provider disconnected');
});

test('an "error": { inside content text is not mistaken for an error', () => {
  const t = new OpenRouterStreamTranslator({ clientWantsUsage: false });
  const data = JSON.stringify({ choices: [{ index: 0, delta: { content: '{"error": {"x":1}}' } }] });
  assert.deepEqual(push(t, data), { emit: [data] });
});

test('ordinary chunks, usage and [DONE] go through the shared translator', () => {
  const hidden = new OpenRouterStreamTranslator({ clientWantsUsage: false });
  const usage = '{"choices":[],"usage":{"prompt_tokens":13,"completion_tokens":16,"total_tokens":29,"cost":0.0001}}';
  assert.deepEqual(push(hidden, usage), { usage: { inputTokens: 13, outputTokens: 16 } });
  assert.deepEqual(push(hidden, '[DONE]'), { done: true });
  const shown = new OpenRouterStreamTranslator({ clientWantsUsage: true });
  assert.deepEqual(push(shown, usage), { emit: [usage], usage: { inputTokens: 13, outputTokens: 16 } });
});

test('malformed chunks that look like errors are left to the shared rules', () => {
  const t = new OpenRouterStreamTranslator({ clientWantsUsage: false });
  const step = push(t, '{"error": {broken');
  assert.equal(step.error?.code, 'upstream_stream_interrupted');
  assert.equal(step.error?.message, 'The provider reported an error inside the stream.');
});
