import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { GatewayError } from '../../errors/gateway-error.js';
import { anthropicErrorFields, streamError, translateAnthropicError } from './errors.js';

function failure(status: number, body: unknown, headers: Record<string, string> = {}) {
  return { status, headers, bodyText: typeof body === 'string' ? body : JSON.stringify(body) };
}

const providerError = (type: string, message: string) => ({ type: 'error', error: { type, message } });

describe('anthropicErrorFields', () => {
  test('reads the provider error shape, clipping long messages', () => {
    assert.deepEqual(anthropicErrorFields(JSON.stringify(providerError('invalid_request_error', 'bad'))), { message: 'bad', code: 'invalid_request_error' });
    const long = anthropicErrorFields(JSON.stringify(providerError('api_error', 'x'.repeat(900))));
    assert.equal(long.message?.length, 500);
  });

  test('falls back to the OpenAI shape, and to nothing for non-JSON', () => {
    assert.deepEqual(anthropicErrorFields('{"error":{"message":"m","code":"c","param":"p"}}'), { message: 'm', code: 'c', param: 'p' });
    assert.deepEqual(anthropicErrorFields('<html>502</html>'), {});
    assert.deepEqual(anthropicErrorFields(JSON.stringify({ type: 'error', error: {} })), { message: undefined, code: undefined });
  });
});

describe('translateAnthropicError', () => {
  test('400 passes the provider message and type through, not retryable', () => {
    const err = translateAnthropicError(failure(400, providerError('invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum')));
    assert.equal(err.code, 'upstream_rejected');
    assert.equal(err.status, 400);
    assert.equal(err.providerCode, 'invalid_request_error');
    assert.equal(err.message, 'prompt is too long: 210000 tokens > 200000 maximum');
    assert.equal(err.retryable, false);
  });

  test('401 hides the provider text', () => {
    const err = translateAnthropicError(failure(401, providerError('authentication_error', 'invalid x-api-key sk-ant-secret')));
    assert.equal(err.code, 'upstream_auth_failed');
    assert.equal(err.message.includes('sk-ant'), false);
  });

  test('429 is a retryable rate limit carrying Retry-After', () => {
    const err = translateAnthropicError(failure(429, providerError('rate_limit_error', 'slow down'), { 'retry-after': '7' }));
    assert.equal(err.code, 'upstream_rate_limited');
    assert.equal(err.retryAfterSeconds, 7);
    assert.equal(err.retryable, true);
  });

  test('529 and 500 map to overloaded and server error', () => {
    assert.equal(translateAnthropicError(failure(529, providerError('overloaded_error', 'Overloaded'))).code, 'upstream_overloaded');
    assert.equal(translateAnthropicError(failure(500, providerError('api_error', 'oops'))).code, 'upstream_server_error');
    assert.equal(translateAnthropicError(failure(413, providerError('request_too_large', 'big'))).status, 413);
  });
});

describe('streamError', () => {
  const check = (err: GatewayError, code: string, message: string) => {
    assert.equal(err.code, code);
    assert.equal(err.message, message);
  };

  test('overloaded_error maps to upstream_overloaded, anything else to an interrupted stream', () => {
    check(streamError(providerError('overloaded_error', 'Overloaded')), 'upstream_overloaded', 'Overloaded');
    check(streamError(providerError('api_error', 'Internal')), 'upstream_stream_interrupted', 'Internal');
    check(streamError({ type: 'error' }), 'upstream_stream_interrupted', 'The provider reported an error inside the stream.');
  });
});
