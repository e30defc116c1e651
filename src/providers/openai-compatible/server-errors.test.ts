import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compatibleErrorFields, translateCompatibleError } from './server-errors.js';

test('OpenAI-shaped bodies are read as usual', () => {
  assert.deepEqual(compatibleErrorFields('{"error":{"message":"m","code":"c","param":"p"}}'), { message: 'm', code: 'c', param: 'p' });
  assert.deepEqual(compatibleErrorFields('{"error":"ollama says no"}'), { message: 'ollama says no' });
});

test('vLLM top-level errors and FastAPI details are read', () => {
  assert.deepEqual(compatibleErrorFields('{"object":"error","message":"too long","type":"BadRequestError","code":400}'), {
    message: 'too long', code: '400', param: undefined,
  });
  assert.deepEqual(compatibleErrorFields('{"detail":"Not Found"}'), { message: 'Not Found', code: undefined, param: undefined });
});

test('non-JSON and non-object bodies give no fields', () => {
  assert.deepEqual(compatibleErrorFields('Internal Server Error'), {});
  assert.deepEqual(compatibleErrorFields('null'), {});
});

test('statuses map through the shared table', () => {
  const rejected = translateCompatibleError({ status: 400, headers: {}, bodyText: '{"object":"error","message":"too long","type":"BadRequestError","code":400}' });
  assert.equal(rejected.code, 'upstream_rejected');
  assert.equal(rejected.message, 'too long');
  assert.equal(rejected.providerCode, '400');
  const limited = translateCompatibleError({ status: 429, headers: { 'retry-after': '3' }, bodyText: '{"error":{"message":"slow down"}}' });
  assert.equal(limited.code, 'upstream_rate_limited');
  assert.equal(limited.retryAfterSeconds, 3);
  assert.equal(translateCompatibleError({ status: 401, headers: {}, bodyText: '' }).code, 'upstream_auth_failed');
  assert.equal(translateCompatibleError({ status: 500, headers: {}, bodyText: 'oops' }).code, 'upstream_server_error');
});
