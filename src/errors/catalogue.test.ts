// Unit tests for the error catalogue: every entry is well formed (an HTTP 4xx/5xx status or 499,
// a known OpenAI error type, boolean flags, a non-empty sentence as message), errorSpec returns
// the entry, client faults are not retryable while transient upstream faults are, the statuses
// the public contract relies on are pinned, and only entries that could leak secrets or
// internals (upstream_auth_failed, internal_error) are unexposed.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CATALOGUE, errorSpec, type ErrorCode, type OpenAIErrorType } from './catalogue.js';

const TYPES: readonly OpenAIErrorType[] = [
  'invalid_request_error', 'authentication_error', 'permission_error', 'not_found_error',
  'rate_limit_error', 'insufficient_quota', 'api_error', 'timeout_error', 'overloaded_error',
];

const CODES = Object.keys(ERROR_CATALOGUE) as ErrorCode[];

describe('catalogue', () => {
  test('every entry is well formed', () => {
    assert.ok(CODES.length >= 20);
    for (const code of CODES) {
      const spec = ERROR_CATALOGUE[code];
      assert.match(code, /^[a-z][a-z_]*[a-z]$/, `${code}: snake_case code`);
      assert.ok(
        (spec.status >= 400 && spec.status <= 599 && Number.isInteger(spec.status)) || spec.status === 499,
        `${code}: status ${spec.status}`,
      );
      assert.ok(TYPES.includes(spec.type), `${code}: type ${spec.type}`);
      assert.equal(typeof spec.retryable, 'boolean', `${code}: retryable`);
      assert.equal(typeof spec.expose, 'boolean', `${code}: expose`);
      assert.ok(spec.message.trim().length > 0, `${code}: message`);
      assert.ok(spec.message.endsWith('.'), `${code}: message is a sentence`);
      assert.deepEqual(errorSpec(code), spec);
    }
  });

  test('client faults are not retryable and server-side transient faults are', () => {
    for (const code of CODES) {
      const spec = ERROR_CATALOGUE[code];
      if (spec.status >= 400 && spec.status < 500 && spec.status !== 429 && spec.status !== 499) {
        assert.equal(spec.retryable, false, `${code} is a client fault`);
      }
    }
    for (const code of ['upstream_rate_limited', 'upstream_server_error', 'upstream_overloaded', 'upstream_unreachable', 'upstream_timeout'] as const) {
      assert.equal(ERROR_CATALOGUE[code].retryable, true, code);
    }
  });

  test('statuses of the codes the contract relies on', () => {
    const expected: Partial<Record<ErrorCode, number>> = {
      invalid_json: 400,
      invalid_request: 400,
      unsupported_media_type: 415,
      payload_too_large: 413,
      model_not_found: 404,
      upstream_rate_limited: 429,
      upstream_timeout: 504,
      upstream_overloaded: 503,
      client_closed: 499,
      internal_error: 500,
    };
    for (const [code, status] of Object.entries(expected)) {
      assert.equal(ERROR_CATALOGUE[code as ErrorCode].status, status, code);
    }
  });

  test('the only unexposed entries are the ones that could leak secrets or internals', () => {
    assert.deepEqual(CODES.filter((c) => !ERROR_CATALOGUE[c].expose).sort(), ['internal_error', 'upstream_auth_failed']);
  });
});
