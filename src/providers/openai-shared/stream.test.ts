// Unit tests for the OpenAI-format stream translator: an ordinary chunk is emitted as the very
// same payload string (no re-serialization, even when its text mentions "usage"); the usage-only
// final chunk is tapped and hidden unless the client asked for it; usage on a chunk that also
// has choices is emitted and tapped; `[DONE]` ends the stream; an `{"error":…}` payload or an
// `event: error` becomes an upstream_stream_interrupted step with the provider's message (or a
// generic one); a chunk not shaped like a JSON object, or a malformed chunk that claims usage,
// throws upstream_bad_response (F18 malformed SSE chunk).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import type { SseEvent } from '../../upstream/sse-parser.js';
import { OpenAIStreamTranslator } from './stream.js';

function data(payload: string, event?: string): SseEvent {
  return { event, data: payload, id: undefined };
}

const hidden = new OpenAIStreamTranslator({ clientWantsUsage: false });
const shown = new OpenAIStreamTranslator({ clientWantsUsage: true });

const CHUNK = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}';
const USAGE_ONLY = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":4}}}';
const USAGE_WITH_CHOICE = '{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}}';

describe('OpenAIStreamTranslator', () => {
  test('a plain chunk passes through as the same string', () => {
    const step = hidden.push(data(CHUNK));
    assert.deepEqual(step, { emit: [CHUNK] });
    assert.equal(step.emit?.[0], CHUNK);
  });

  test('a chunk with "usage": null is a plain chunk', () => {
    const chunk = '{"id":"c","choices":[{"index":0,"delta":{"content":"x"}}],"usage":null}';
    assert.deepEqual(hidden.push(data(chunk)), { emit: [chunk] });
  });

  test('model text that mentions "usage" is not mistaken for usage', () => {
    const chunk = '{"choices":[{"delta":{"content":"\\"usage\\":{\\"prompt_tokens\\":1}"}}]}';
    assert.deepEqual(hidden.push(data(chunk)), { emit: [chunk] });
  });

  test('the usage-only chunk is hidden unless the client asked for it', () => {
    const usage = { inputTokens: 9, outputTokens: 2, cachedInputTokens: 4 };
    assert.deepEqual(hidden.push(data(USAGE_ONLY)), { usage });
    assert.deepEqual(shown.push(data(USAGE_ONLY)), { emit: [USAGE_ONLY], usage });
  });

  test('usage on a chunk with choices is emitted and tapped either way', () => {
    const usage = { inputTokens: 3, outputTokens: 1 };
    assert.deepEqual(hidden.push(data(USAGE_WITH_CHOICE)), { emit: [USAGE_WITH_CHOICE], usage });
    assert.deepEqual(shown.push(data(USAGE_WITH_CHOICE)), { emit: [USAGE_WITH_CHOICE], usage });
  });

  test('usage with whitespace around the colon is still found', () => {
    const chunk = '{"choices": [], "usage" : {"prompt_tokens": 1, "completion_tokens": 2}}';
    assert.deepEqual(hidden.push(data(chunk)), { usage: { inputTokens: 1, outputTokens: 2 } });
  });

  test('[DONE] ends the stream', () => {
    assert.deepEqual(hidden.push(data('[DONE]')), { done: true });
    assert.deepEqual(shown.push(data('[DONE]')), { done: true });
  });

  test('an {"error":…} payload is an error step with the provider message', () => {
    const step = hidden.push(data('{"error":{"message":"The server had an error while processing your request.","type":"server_error"}}'));
    assert.equal(step.emit, undefined);
    assert.ok(step.error instanceof GatewayError);
    assert.equal(step.error.code, 'upstream_stream_interrupted');
    assert.equal(step.error.message, 'The server had an error while processing your request.');
    assert.equal(step.error.retryable, true);
    const spaced = hidden.push(data('  { "error" : {"message":"m"}}'));
    assert.equal(spaced.error?.message, 'm');
  });

  test('an error event is an error step, with a generic message when the payload says nothing', () => {
    const step = hidden.push(data('{"message":"overloaded"}', 'error'));
    assert.equal(step.error?.code, 'upstream_stream_interrupted');
    assert.equal(step.error?.message, 'The provider reported an error inside the stream.');
    assert.equal(hidden.push(data('not json at all', 'error')).error?.message, 'The provider reported an error inside the stream.');
    assert.equal(hidden.push(data('{"error":"just a string"}')).error?.message, 'The provider reported an error inside the stream.');
    assert.equal(hidden.push(data('{"error":{"message":"x"}}', 'error')).error?.message, 'x');
  });

  test('a long provider error message is cut to 500 characters', () => {
    const step = hidden.push(data(JSON.stringify({ error: { message: 'e'.repeat(2000) } })));
    assert.equal(step.error?.message.length, 500);
  });

  test('a malformed chunk that claims usage is upstream_bad_response', () => {
    assert.throws(() => hidden.push(data('{"choices":[],"usage":{"prompt_tokens":1},}')), (err: unknown) => {
      assert.ok(err instanceof GatewayError);
      assert.equal(err.code, 'upstream_bad_response');
      assert.equal(err.message, 'The provider sent a malformed stream chunk.');
      return true;
    });
  });

  test('a chunk that does not even look like a JSON object is upstream_bad_response', () => {
    for (const payload of ['{"choices":[', 'not json', '[1,2]', '', '"text"']) {
      assert.throws(() => hidden.push(data(payload)), (err: unknown) => {
        assert.ok(err instanceof GatewayError, JSON.stringify(payload));
        assert.equal(err.code, 'upstream_bad_response');
        return true;
      });
    }
  });

  test('an object-shaped chunk without usage is forwarded without being parsed', () => {
    // Only the cheap shape check runs on ordinary chunks; the provider's bytes go out as they are.
    assert.deepEqual(hidden.push(data('{"choices":[}')), { emit: ['{"choices":[}'] });
  });

  test('a usage object with garbage counts is tapped as zeros', () => {
    assert.deepEqual(hidden.push(data('{"choices":[],"usage":{"prompt_tokens":"x"}}')), { usage: { inputTokens: 0, outputTokens: 0 } });
  });
});

describe('usage chunks from OpenAI-compatible servers', () => {
  test('a usage chunk without a choices field is hidden from clients that did not ask', () => {
    assert.deepEqual(hidden.push(data('{"id":"c","object":"chat.completion.chunk","usage":{"prompt_tokens":1,"completion_tokens":2}}')), {
      usage: { inputTokens: 1, outputTokens: 2 },
    });
  });
});
