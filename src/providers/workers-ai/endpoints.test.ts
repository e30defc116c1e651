import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { assertModelPath, authHeaders, openAIModeBase, passthroughUrl, runUrl } from './endpoints.js';
import type { WorkersAISettings } from './settings.js';

const settings: WorkersAISettings = { type: 'workers-ai', accountId: 'acc1', apiToken: 'tok' };
const BASE = 'https://api.cloudflare.com/client/v4/accounts/acc1/ai';

function isInvalid(err: unknown): boolean {
  return err instanceof GatewayError && err.code === 'invalid_request';
}

test('run URL uses the model id verbatim, on the default or a configured base', () => {
  assert.equal(runUrl(settings, '@cf/meta/llama-3.1-8b-instruct'), `${BASE}/run/@cf/meta/llama-3.1-8b-instruct`);
  const custom = { ...settings, baseUrl: 'http://127.0.0.1:9100/client/v4/' };
  assert.equal(runUrl(custom, '@hf/x/y'), 'http://127.0.0.1:9100/client/v4/accounts/acc1/ai/run/@hf/x/y');
});

test('OpenAI-compatible base sits under ai/v1', () => {
  assert.equal(openAIModeBase(settings), `${BASE}/v1`);
});

test('model ids that could leave the run path are refused', () => {
  for (const bad of ['../../zones', '@cf/../../x', '@cf/%2E%2e/x', '@cf//x', 'a?b', 'a#b', '', '/abs']) {
    assert.throws(() => assertModelPath(bad), isInvalid, bad);
  }
  assert.doesNotThrow(() => assertModelPath('@cf/meta/llama-3.1-8b-instruct'));
  assert.doesNotThrow(() => assertModelPath('@cf/qwen/qwen1.5-0.5b-chat'));
});

test('pass-through: /v1/ paths go to the OpenAI-compatible API, others to run', () => {
  assert.equal(passthroughUrl(settings, '/v1/chat/completions'), `${BASE}/v1/chat/completions`);
  assert.equal(passthroughUrl(settings, '/@cf/meta/llama-3.1-8b-instruct?x=1'), `${BASE}/run/@cf/meta/llama-3.1-8b-instruct?x=1`);
});

test('pass-through refuses dot segments but allows dots in the query', () => {
  assert.throws(() => passthroughUrl(settings, '/../../zones'), isInvalid);
  assert.throws(() => passthroughUrl(settings, '/v1/%2e%2e/%2E%2E/zones'), isInvalid);
  assert.doesNotThrow(() => passthroughUrl(settings, '/@cf/x?next=../y'));
});

test('a client credential overrides the configured token; none gives no header', () => {
  assert.deepEqual(authHeaders(settings, undefined), { authorization: 'Bearer tok' });
  assert.deepEqual(authHeaders(settings, 'client'), { authorization: 'Bearer client' });
  assert.deepEqual(authHeaders({ type: 'workers-ai', accountId: 'a' }, undefined), {});
});
