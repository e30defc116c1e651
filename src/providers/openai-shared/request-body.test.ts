// Unit tests for the OpenAI-format request body: the client's `provider/model` is swapped for
// the provider-side id (or an explicit override); streamed chat and completions calls get
// `stream_options.include_usage: true` while the client's other stream_options are kept;
// embeddings and non-streamed calls get no stream_options added; the client body is never
// mutated; and clientWantsUsage is true only for `include_usage === true`.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { BuildInput, Operation } from '../types.js';
import { clientWantsUsage, openAIRequestBody } from './request-body.js';

function input(operation: Operation, body: Record<string, unknown>, stream: boolean): BuildInput {
  return { operation, model: 'gpt-4o-mini', body, stream };
}

function built(i: BuildInput, model?: string): Record<string, unknown> {
  return JSON.parse(model === undefined ? openAIRequestBody(i) : openAIRequestBody(i, model)) as Record<string, unknown>;
}

describe('openAIRequestBody', () => {
  test('swaps the model and keeps every other field', () => {
    const body = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], temperature: 0.2, tools: [{ type: 'function' }], x_vendor: { a: 1 } };
    assert.deepEqual(built(input('chat', body, false)), { ...body, model: 'gpt-4o-mini' });
  });

  test('an explicit model argument wins', () => {
    assert.equal(built(input('chat', { model: 'r/x', messages: [] }, false), 'deployment-7').model, 'deployment-7');
  });

  test('streamed chat and completions ask for the usage chunk', () => {
    for (const op of ['chat', 'completions'] as const) {
      const out = built(input(op, { model: 'openai/x', stream: true }, true));
      assert.deepEqual(out.stream_options, { include_usage: true }, op);
      assert.equal(out.stream, true);
    }
  });

  test('the client\'s stream_options are kept and include_usage is forced on', () => {
    const out = built(input('chat', { model: 'openai/x', stream: true, stream_options: { include_usage: false, include_obfuscation: false } }, true));
    assert.deepEqual(out.stream_options, { include_usage: true, include_obfuscation: false });
    const nulled = built(input('chat', { model: 'openai/x', stream: true, stream_options: null }, true));
    assert.deepEqual(nulled.stream_options, { include_usage: true });
  });

  test('embeddings never get stream_options, even when flagged as a stream', () => {
    const out = built(input('embeddings', { model: 'openai/e', input: 'x' }, true));
    assert.equal('stream_options' in out, false);
  });

  test('non-streamed calls are left alone, including client stream_options', () => {
    assert.equal('stream_options' in built(input('chat', { model: 'openai/x' }, false)), false);
    assert.deepEqual(built(input('chat', { model: 'openai/x', stream_options: { include_usage: false } }, false)).stream_options, { include_usage: false });
  });

  test('the client body is never mutated', () => {
    const so = { include_usage: false };
    const body = { model: 'openai/x', stream: true, stream_options: so, messages: [{ role: 'user', content: 'x' }] };
    const copy = structuredClone(body);
    openAIRequestBody(input('chat', body, true));
    assert.deepEqual(body, copy);
    assert.equal(body.stream_options, so);
    assert.equal(so.include_usage, false);
  });

  test('the result is compact JSON', () => {
    assert.equal(openAIRequestBody(input('chat', { model: 'openai/x', n: 1 }, false)), '{"model":"gpt-4o-mini","n":1}');
  });
});

describe('clientWantsUsage', () => {
  test('true only for include_usage === true', () => {
    assert.equal(clientWantsUsage({ stream_options: { include_usage: true } }), true);
    assert.equal(clientWantsUsage({ stream_options: { include_usage: false } }), false);
    assert.equal(clientWantsUsage({ stream_options: { include_usage: 'true' } }), false);
    assert.equal(clientWantsUsage({ stream_options: null }), false);
    assert.equal(clientWantsUsage({ stream_options: 'include_usage' }), false);
    assert.equal(clientWantsUsage({}), false);
  });
});
