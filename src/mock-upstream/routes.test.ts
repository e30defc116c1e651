import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveRoute } from './routes.js';

test('OpenAI and Anthropic /v1 paths', () => {
  assert.deepEqual(resolveRoute('POST', '/v1/chat/completions'), { dialect: 'openai', operation: 'chat' });
  assert.deepEqual(resolveRoute('POST', '/v1/completions'), { dialect: 'openai', operation: 'completions' });
  assert.deepEqual(resolveRoute('POST', '/v1/embeddings'), { dialect: 'openai', operation: 'embeddings' });
  assert.deepEqual(resolveRoute('GET', '/v1/models'), { dialect: 'openai', operation: 'models' });
  assert.deepEqual(resolveRoute('POST', '/v1/messages'), { dialect: 'anthropic', operation: 'chat' });
  assert.deepEqual(resolveRoute('POST', '/v1/responses'), { dialect: 'openai', operation: 'responses' });
  assert.equal(resolveRoute('GET', '/v1/responses'), undefined);
  assert.equal(resolveRoute('POST', '/v1/responses/resp_1/cancel'), undefined);
});

test('Azure deployments carry the model in the path; its /openai/v1 paths do not', () => {
  assert.deepEqual(resolveRoute('POST', '/openai/deployments/my-gpt/chat/completions'), {
    dialect: 'openai', operation: 'chat', pathModel: 'my-gpt',
  });
  assert.deepEqual(resolveRoute('POST', '/openai/deployments/emb%7Estatus%3D500/embeddings'), {
    dialect: 'openai', operation: 'embeddings', pathModel: 'emb~status=500',
  });
  assert.equal(resolveRoute('POST', '/openai/deployments/x/images'), undefined);
  assert.deepEqual(resolveRoute('POST', '/openai/v1/responses'), { dialect: 'openai', operation: 'responses' });
  assert.deepEqual(resolveRoute('POST', '/openai/v1/chat/completions'), { dialect: 'openai', operation: 'chat' });
  assert.equal(resolveRoute('POST', '/openai/v1/images/generations'), undefined);
  assert.equal(resolveRoute('POST', '/openai/deployments/%E0%A4/completions'), undefined);
});

test('Workers AI native run paths keep slashes in the model and pick embeddings by name', () => {
  assert.deepEqual(resolveRoute('POST', '/client/v4/accounts/acc/ai/run/@cf/meta/llama-3.1-8b-instruct'), {
    dialect: 'workers-ai', operation: 'chat', pathModel: '@cf/meta/llama-3.1-8b-instruct',
  });
  assert.deepEqual(resolveRoute('POST', '/client/v4/accounts/acc/ai/run/%40cf/baai/bge-base-en-v1.5'), {
    dialect: 'workers-ai', operation: 'embeddings', pathModel: '@cf/baai/bge-base-en-v1.5',
  });
  assert.equal(resolveRoute('POST', '/client/v4/accounts/acc/ai/run/@cf/x/qwen3-embedding-0.6b')?.operation, 'embeddings');
  assert.equal(resolveRoute('POST', '/client/v4/accounts/acc/ai/run/%E0%A4'), undefined);
});

test('Workers AI OpenAI-compatible endpoints speak OpenAI', () => {
  assert.deepEqual(resolveRoute('POST', '/client/v4/accounts/acc/ai/v1/chat/completions'), { dialect: 'openai', operation: 'chat' });
  assert.deepEqual(resolveRoute('POST', '/client/v4/accounts/acc/ai/v1/embeddings'), { dialect: 'openai', operation: 'embeddings' });
  assert.equal(resolveRoute('POST', '/client/v4/accounts/acc/ai/v1/images'), undefined);
  assert.equal(resolveRoute('POST', '/client/v4/accounts/acc/ai/other'), undefined);
});

test('the model lists health probes read: Azure resource and Workers AI catalogue (GET only)', () => {
  assert.deepEqual(resolveRoute('GET', '/openai/models'), { dialect: 'openai', operation: 'models' });
  assert.deepEqual(resolveRoute('GET', '/client/v4/accounts/acct1/ai/models/search'), { dialect: 'workers-ai', operation: 'models' });
  assert.equal(resolveRoute('POST', '/openai/models'), undefined);
  assert.equal(resolveRoute('POST', '/client/v4/accounts/acct1/ai/models/search'), undefined);
});

test('anything else is a 404, including wrong methods and foreign prefixes', () => {
  assert.equal(resolveRoute('GET', '/v1/chat/completions'), undefined);
  assert.equal(resolveRoute('POST', '/v1/models'), undefined);
  assert.equal(resolveRoute('POST', '/v1/unknown'), undefined);
  assert.equal(resolveRoute('POST', '/openai/v2/chat/completions'), undefined);
  assert.equal(resolveRoute('POST', '/api/v1/chat/completions'), undefined);
  assert.equal(resolveRoute('GET', '/openai/deployments/x/chat/completions'), undefined);
  assert.equal(resolveRoute('POST', '/'), undefined);
});
