import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GatewayError } from '../../errors/gateway-error.js';
import { deploymentFor, deploymentUrl } from './deployment-url.js';

test('deployment comes from the table, else the model name', () => {
  assert.equal(deploymentFor('gpt-4o', { 'gpt-4o': 'prod-gpt4o' }), 'prod-gpt4o');
  assert.equal(deploymentFor('gpt-4o-mini', { 'gpt-4o': 'prod-gpt4o' }), 'gpt-4o-mini');
  assert.equal(deploymentFor('gpt-35-turbo', undefined), 'gpt-35-turbo');
});

test('names that could change the URL are refused', () => {
  const invalid = (e: unknown): boolean => e instanceof GatewayError && e.code === 'invalid_request' && e.param === 'model';
  for (const bad of ['..', '.', 'a/b', 'a?b', 'a b', '%2e%2e', '']) assert.throws(() => deploymentFor(bad, undefined), invalid, bad);
  assert.throws(() => deploymentFor('gpt-4o', { 'gpt-4o': '../x' }), invalid);
});

test('URL per operation with api-version; trailing slash on the endpoint is fine', () => {
  assert.equal(deploymentUrl('https://myres.openai.azure.com', 'd1', 'chat', '2024-10-21'),
    'https://myres.openai.azure.com/openai/deployments/d1/chat/completions?api-version=2024-10-21');
  assert.equal(deploymentUrl('https://myres.openai.azure.com/', 'd1', 'completions', '2024-10-21'),
    'https://myres.openai.azure.com/openai/deployments/d1/completions?api-version=2024-10-21');
  assert.equal(deploymentUrl('https://myres.openai.azure.com', 'emb', 'embeddings', '2025-01-01-preview'),
    'https://myres.openai.azure.com/openai/deployments/emb/embeddings?api-version=2025-01-01-preview');
});
