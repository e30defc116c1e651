// Unit tests for mapping OpenAI-format error answers to gateway errors: 401/403 become
// upstream_auth_failed without ever exposing the provider's text; 429 becomes
// upstream_rate_limited with Retry-After read from retry-after-ms, retry-after seconds or an
// HTTP date, except insufficient_quota which is a non-retryable 429 upstream_rejected; other 4xx
// (e.g. 400 context_length_exceeded, F18) keep their status, provider code and param; 408/504
// are timeouts; 503/529 overloaded; other 5xx server errors; unexpected statuses become 502; and
// the body reader copes with non-JSON, string errors, numeric codes, type-as-code and long
// messages.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { errorBody, errorHeaders } from '../../errors/gateway-error.js';
import type { UpstreamFailure } from '../types.js';
import { gatewayErrorForStatus, openAIErrorFields, retryAfterSeconds, translateOpenAIError } from './errors.js';

function failure(status: number, body: unknown, headers: UpstreamFailure['headers'] = {}): UpstreamFailure {
  return { status, headers, bodyText: typeof body === 'string' ? body : JSON.stringify(body) };
}

function openaiError(message: string, code: string | null, type = 'invalid_request_error', param: string | null = null): unknown {
  return { error: { message, type, param, code } };
}

describe('openAIErrorFields', () => {
  test('reads message, code and param', () => {
    assert.deepEqual(openAIErrorFields(JSON.stringify(openaiError('too long', 'context_length_exceeded', 'invalid_request_error', 'messages'))), {
      message: 'too long', code: 'context_length_exceeded', param: 'messages',
    });
  });

  test('falls back to type when code is null; numeric codes become strings', () => {
    assert.deepEqual(openAIErrorFields(JSON.stringify(openaiError('bad', null, 'invalid_request_error'))), { message: 'bad', code: 'invalid_request_error', param: undefined });
    assert.equal(openAIErrorFields('{"error":{"message":"x","code":400}}').code, '400');
  });

  test('a string error is its message', () => {
    assert.deepEqual(openAIErrorFields('{"error":"model overloaded"}'), { message: 'model overloaded' });
  });

  test('non-JSON and unexpected shapes give no fields', () => {
    for (const text of ['', '<html>502 Bad Gateway</html>', 'null', '[]', '{"message":"top-level"}', '{"error":null}', '{"error":42}']) {
      assert.deepEqual(openAIErrorFields(text), {}, text);
    }
  });

  test('empty strings are ignored and long texts are cut to 500 characters', () => {
    const f = openAIErrorFields(JSON.stringify({ error: { message: 'm'.repeat(2000), code: '', param: 'p'.repeat(600) } }));
    assert.equal(f.message?.length, 500);
    assert.equal(f.code, undefined);
    assert.equal(f.param?.length, 500);
    assert.equal(openAIErrorFields(JSON.stringify({ error: 'x'.repeat(900) })).message?.length, 500);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  test('retry-after in seconds', () => {
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': '7' }), now), 7);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': '0' }), now), 0);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': '1.5' }), now), 1.5);
  });

  test('retry-after-ms wins and is converted to seconds', () => {
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after-ms': '1500', 'retry-after': '9' }), now), 1.5);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after-ms': '0' }), now), 0);
  });

  test('an invalid retry-after-ms falls back to retry-after', () => {
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after-ms': 'soon', 'retry-after': '4' }), now), 4);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after-ms': '-100', 'retry-after': '4' }), now), 4);
  });

  test('an HTTP date counts from now; a past date is 0', () => {
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': 'Wed, 01 Jan 2025 00:00:30 GMT' }), now), 30);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': 'Tue, 31 Dec 2024 23:59:00 GMT' }), now), 0);
  });

  test('missing or garbage gives undefined; repeated headers use the first', () => {
    assert.equal(retryAfterSeconds(failure(429, ''), now), undefined);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': 'whenever' }), now), undefined);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after': ['3', '99'] }), now), 3);
    assert.equal(retryAfterSeconds(failure(429, '', { 'retry-after-ms': ['250', '9'] }), now), 0.25);
  });

  test('defaults to the current clock', () => {
    const inTen = new Date(Date.now() + 10_500).toUTCString();
    const s = retryAfterSeconds(failure(429, '', { 'retry-after': inTen }));
    assert.ok(s !== undefined && s > 8 && s <= 10.5, String(s));
  });
});

describe('translateOpenAIError', () => {
  test('401 and 403 are upstream_auth_failed and never show the provider text', () => {
    for (const status of [401, 403]) {
      const err = translateOpenAIError(failure(status, openaiError('Incorrect API key provided: sk-proj-abc123. You can find your key at…', 'invalid_api_key')));
      assert.equal(err.code, 'upstream_auth_failed');
      assert.equal(err.status, 502);
      assert.equal(err.retryable, false);
      assert.equal(err.providerCode, undefined);
      const body = JSON.stringify(errorBody(err, 'r'));
      assert.equal(body.includes('sk-proj'), false);
      assert.equal(body.includes('invalid_api_key'), false);
      assert.equal(err.message.includes('sk-proj'), false);
    }
  });

  test('429 rate limit keeps the message and the retry delay', () => {
    const err = translateOpenAIError(failure(429, openaiError('Rate limit reached for gpt-4o', 'rate_limit_exceeded', 'requests'), { 'retry-after': '20' }));
    assert.equal(err.code, 'upstream_rate_limited');
    assert.equal(err.status, 429);
    assert.equal(err.retryable, true);
    assert.equal(err.retryAfterSeconds, 20);
    assert.equal(err.message, 'Rate limit reached for gpt-4o');
    assert.equal(errorHeaders(err)['retry-after'], '20');
    assert.equal(translateOpenAIError(failure(429, '', { 'retry-after-ms': '1200' })).retryAfterSeconds, 1.2);
    assert.equal(translateOpenAIError(failure(429, 'Too Many Requests')).retryAfterSeconds, undefined);
  });

  test('429 insufficient_quota is a non-retryable upstream_rejected 429', () => {
    const err = translateOpenAIError(failure(429, openaiError('You exceeded your current quota', 'insufficient_quota', 'insufficient_quota'), { 'retry-after': '5' }));
    assert.equal(err.code, 'upstream_rejected');
    assert.equal(err.status, 429);
    assert.equal(err.retryable, false);
    assert.equal(err.providerCode, 'insufficient_quota');
    assert.equal(err.retryAfterSeconds, undefined);
    assert.deepEqual(errorBody(err, 'r').error, { message: 'You exceeded your current quota', type: 'invalid_request_error', code: 'insufficient_quota', param: null });
  });

  test('400 context_length_exceeded keeps status, provider code and param (F18)', () => {
    const err = translateOpenAIError(failure(400, openaiError("This model's maximum context length is 128000 tokens.", 'context_length_exceeded', 'invalid_request_error', 'messages')));
    assert.equal(err.code, 'upstream_rejected');
    assert.equal(err.status, 400);
    assert.equal(err.retryable, false);
    assert.deepEqual(errorBody(err, 'req-1').error, {
      message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', code: 'context_length_exceeded', param: 'messages',
    });
  });

  test('other 4xx keep their status', () => {
    assert.equal(translateOpenAIError(failure(404, openaiError('The model `gpt-9` does not exist', 'model_not_found'))).status, 404);
    assert.equal(translateOpenAIError(failure(413, 'too big')).status, 413);
    assert.equal(translateOpenAIError(failure(422, '{}')).status, 422);
  });

  test('408 and 504 are timeouts', () => {
    for (const status of [408, 504]) {
      const err = translateOpenAIError(failure(status, openaiError('timed out', null, 'timeout')));
      assert.equal(err.code, 'upstream_timeout');
      assert.equal(err.status, 504);
      assert.equal(err.retryable, true);
      assert.equal(err.message, 'timed out');
    }
  });

  test('503 and 529 are overloaded, with retry-after', () => {
    const err = translateOpenAIError(failure(503, openaiError('overloaded', null, 'server_error'), { 'retry-after': '3' }));
    assert.equal(err.code, 'upstream_overloaded');
    assert.equal(err.status, 503);
    assert.equal(err.retryAfterSeconds, 3);
    assert.equal(translateOpenAIError(failure(529, '{"error":"Overloaded"}')).code, 'upstream_overloaded');
  });

  test('500 and other 5xx are server errors, reported as 502', () => {
    for (const status of [500, 502, 507, 599]) {
      const err = translateOpenAIError(failure(status, openaiError('The server had an error', null, 'server_error')));
      assert.equal(err.code, 'upstream_server_error', String(status));
      assert.equal(err.status, 502);
      assert.equal(err.retryable, true);
      assert.equal(err.message, 'The server had an error');
    }
  });

  test('a non-JSON body falls back to the catalogue message', () => {
    const err = translateOpenAIError(failure(500, '<html><body>Internal Server Error</body></html>'));
    assert.equal(err.code, 'upstream_server_error');
    assert.equal(err.message, 'The provider returned a server error.');
    const rejected = translateOpenAIError(failure(400, 'Bad Request'));
    assert.equal(rejected.code, 'upstream_rejected');
    assert.equal(rejected.message, 'The provider rejected the request.');
    assert.equal(errorBody(rejected, 'r').error.code, 'upstream_rejected');
  });

  test('an unexpected non-error status becomes a 502 rejection', () => {
    for (const status of [200, 302, 399]) {
      const err = gatewayErrorForStatus(failure(status, ''), {});
      assert.equal(err.code, 'upstream_rejected');
      assert.equal(err.status, 502);
    }
  });
});
