// Unit tests for GatewayError and its rendering: GatewayError takes
// its status, message and retryability from the catalogue unless overridden (status, param,
// providerCode, cause); errorBody renders exactly `{error:{message,type,code,param},request_id}`
// and hides the detail of unexposed entries; errorHeaders sends x-should-retry, the error code
// and a Retry-After rounded up and never negative; toGatewayError turns anything else thrown
// into internal_error without leaking its message.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CATALOGUE, type ErrorCode } from './catalogue.js';
import { errorBody, errorHeaders, GatewayError, toGatewayError } from './gateway-error.js';

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('GatewayError', () => {
  test('defaults come from the catalogue', () => {
    const err = new GatewayError('model_not_found');
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'GatewayError');
    assert.equal(err.code, 'model_not_found');
    assert.equal(err.status, 404);
    assert.equal(err.message, ERROR_CATALOGUE.model_not_found.message);
    assert.equal(err.param, undefined);
    assert.equal(err.providerCode, undefined);
    assert.equal(err.retryAfterSeconds, undefined);
    assert.equal(err.retryable, false);
    assert.equal(err.cause, undefined);
    assert.equal(Object.hasOwn(err, 'cause'), false);
    assert.equal(err.spec, ERROR_CATALOGUE.model_not_found);
  });

  test('options override detail, status, param, providerCode, retry-after and cause', () => {
    const cause = new Error('root');
    const err = new GatewayError('upstream_rejected', {
      detail: 'context too long', status: 422, param: 'messages', providerCode: 'context_length_exceeded', retryAfterSeconds: 3, cause,
    });
    assert.equal(err.message, 'context too long');
    assert.equal(err.status, 422);
    assert.equal(err.param, 'messages');
    assert.equal(err.providerCode, 'context_length_exceeded');
    assert.equal(err.retryAfterSeconds, 3);
    assert.equal(err.cause, cause);
    assert.equal(err.code, 'upstream_rejected');
  });

  test('retryable follows the catalogue, whatever the status override', () => {
    assert.equal(new GatewayError('upstream_rate_limited', { status: 400 }).retryable, true);
    assert.equal(new GatewayError('upstream_rejected', { status: 503 }).retryable, false);
  });
});

describe('errorBody', () => {
  test('has exactly the OpenAI shape plus request_id', () => {
    const body = errorBody(new GatewayError('invalid_request', { param: 'max_tokens', detail: 'max_tokens must be positive.' }), 'req-12345678');
    assert.deepEqual(body, {
      error: { message: 'max_tokens must be positive.', type: 'invalid_request_error', code: 'invalid_request', param: 'max_tokens' },
      request_id: 'req-12345678',
    });
    assert.deepEqual(Object.keys(body), ['error', 'request_id']);
    assert.deepEqual(Object.keys(body.error), ['message', 'type', 'code', 'param']);
  });

  test('param is null, not absent, when there is none', () => {
    const body = errorBody(new GatewayError('invalid_json'), 'r');
    assert.equal(body.error.param, null);
    assert.equal(JSON.stringify(body), '{"error":{"message":"The request body is not valid JSON.","type":"invalid_request_error","code":"invalid_json","param":null},"request_id":"r"}');
  });

  test('an unexposed entry shows the catalogue message, never the detail', () => {
    const secret = 'Incorrect API key provided: sk-live-abcdef';
    const auth = errorBody(new GatewayError('upstream_auth_failed', { detail: secret }), 'r1');
    assert.equal(auth.error.message, ERROR_CATALOGUE.upstream_auth_failed.message);
    assert.equal(JSON.stringify(auth).includes('sk-live'), false);
    const internal = errorBody(new GatewayError('internal_error', { detail: 'TypeError at /srv/x.js:12' }), 'r2');
    assert.equal(internal.error.message, ERROR_CATALOGUE.internal_error.message);
    assert.equal(internal.error.type, 'api_error');
  });

  test('providerCode replaces our code; the status override does not change the type', () => {
    const body = errorBody(new GatewayError('upstream_rejected', { status: 429, providerCode: 'insufficient_quota', detail: 'quota' }), 'r');
    assert.deepEqual(body.error, { message: 'quota', type: 'invalid_request_error', code: 'insufficient_quota', param: null });
  });

  test('every catalogue entry renders a body with its own type and code', () => {
    for (const code of CODES) {
      const body = errorBody(new GatewayError(code), 'rid');
      assert.equal(body.error.code, code);
      assert.equal(body.error.type, ERROR_CATALOGUE[code].type);
      assert.equal(body.error.message, ERROR_CATALOGUE[code].message);
      assert.equal(body.request_id, 'rid');
    }
  });
});

describe('errorHeaders', () => {
  test('non-retryable error without retry-after', () => {
    assert.deepEqual(errorHeaders(new GatewayError('invalid_json')), { 'x-should-retry': 'false', 'x-tollgate-error-code': 'invalid_json' });
  });

  test('retryable error with retry-after rounded up', () => {
    assert.deepEqual(errorHeaders(new GatewayError('upstream_rate_limited', { retryAfterSeconds: 1.2 })), {
      'x-should-retry': 'true', 'x-tollgate-error-code': 'upstream_rate_limited', 'retry-after': '2',
    });
    assert.equal(errorHeaders(new GatewayError('upstream_rate_limited', { retryAfterSeconds: 7 }))['retry-after'], '7');
    assert.equal(errorHeaders(new GatewayError('upstream_rate_limited', { retryAfterSeconds: 0.001 }))['retry-after'], '1');
  });

  test('retry-after is never negative and zero stays zero', () => {
    assert.equal(errorHeaders(new GatewayError('upstream_overloaded', { retryAfterSeconds: -5 }))['retry-after'], '0');
    assert.equal(errorHeaders(new GatewayError('upstream_overloaded', { retryAfterSeconds: 0 }))['retry-after'], '0');
  });

  test('the header names our code even when the body shows the provider code', () => {
    const h = errorHeaders(new GatewayError('upstream_rejected', { providerCode: 'context_length_exceeded' }));
    assert.equal(h['x-tollgate-error-code'], 'upstream_rejected');
  });
});

describe('toGatewayError', () => {
  test('returns a GatewayError unchanged', () => {
    const err = new GatewayError('upstream_timeout');
    assert.equal(toGatewayError(err), err);
  });

  test('wraps anything else as internal_error, keeping it only as the cause', () => {
    for (const thrown of [new TypeError('boom: secret path /etc/x'), 'a string', 42, null, undefined, { message: 'obj' }]) {
      const err = toGatewayError(thrown);
      assert.equal(err.code, 'internal_error');
      assert.equal(err.status, 500);
      assert.equal(err.retryable, true);
      assert.equal(err.message, ERROR_CATALOGUE.internal_error.message);
      assert.equal(err.cause, thrown);
      assert.equal(errorBody(err, 'r').error.message, ERROR_CATALOGUE.internal_error.message);
    }
  });
});
