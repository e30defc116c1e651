import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reportedError, translateWorkersAIError, workersAIErrorFields } from './errors.js';

const cfBody = (code: number, message: string): string => JSON.stringify({ result: null, success: false, errors: [{ code, message }], messages: [] });

test('429 is rate limiting and keeps retry-after', () => {
  const err = translateWorkersAIError({ status: 429, headers: { 'retry-after': '7' }, bodyText: cfBody(3040, 'Capacity temporarily exceeded') });
  assert.equal(err.code, 'upstream_rate_limited');
  assert.equal(err.retryAfterSeconds, 7);
  assert.equal(err.retryable, true);
  assert.equal(err.message, 'Capacity temporarily exceeded');
});

test('401 and 403 never echo the provider text', () => {
  for (const status of [401, 403]) {
    const err = translateWorkersAIError({ status, headers: {}, bodyText: cfBody(10000, 'Authentication error for token abc') });
    assert.equal(err.code, 'upstream_auth_failed');
    assert.equal(err.retryable, false);
  }
});

test('400 keeps the Cloudflare code as a string', () => {
  const err = translateWorkersAIError({ status: 400, headers: {}, bodyText: cfBody(5007, 'No such model') });
  assert.equal(err.code, 'upstream_rejected');
  assert.equal(err.status, 400);
  assert.equal(err.providerCode, '5007');
  assert.equal(err.message, 'No such model');
});

test('5xx is a retryable server error', () => {
  const err = translateWorkersAIError({ status: 500, headers: {}, bodyText: cfBody(3043, 'Internal server error') });
  assert.equal(err.code, 'upstream_server_error');
  assert.equal(err.retryable, true);
});

test('a non-JSON body leaves the status to decide', () => {
  const err = translateWorkersAIError({ status: 502, headers: {}, bodyText: '<html>Bad gateway</html>' });
  assert.equal(err.code, 'upstream_server_error');
  assert.deepEqual(workersAIErrorFields('<html>'), {});
});

test('OpenAI-shaped bodies from the compatible endpoint are read too', () => {
  assert.deepEqual(workersAIErrorFields('{"error":{"message":"bad","code":"invalid_model","param":"model"}}'), {
    message: 'bad', code: 'invalid_model', param: 'model',
  });
  assert.deepEqual(workersAIErrorFields('{"errors":[]}'), {});
  assert.deepEqual(workersAIErrorFields('"text"'), {});
});

test('reportedError reads envelopes, error fields and bare success:false', () => {
  assert.deepEqual(reportedError({ errors: [{ code: 1, message: 'm' }] }), { message: 'm', code: '1' });
  assert.deepEqual(reportedError({ errors: [null] }), { message: undefined, code: undefined });
  assert.deepEqual(reportedError({ error: 'oops' }), { message: 'oops' });
  assert.deepEqual(reportedError({ error: { message: 'm', type: 't' } }), { message: 'm', code: 't' });
  assert.deepEqual(reportedError({ success: false }), {});
  assert.equal(reportedError({ response: 'fine' }), undefined);
});
