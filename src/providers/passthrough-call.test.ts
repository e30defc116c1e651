// Unit tests for the adapters' pure `passthroughCall`: which native paths are billable model
// calls, where each provider names the model (body, Azure deployment path mapped back through
// `deployments`, Workers AI run path), the operation and stream flag, the output cap, and the
// paths that are not priced (model lists, token counting, images, bodies without a model), and
// native input fields handed to the input bound (Anthropic's system prompt, Workers AI `text`).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { anthropicAdapter } from './anthropic/index.js';
import { azureOpenAIAdapter } from './azure-openai/index.js';
import { openaiAdapter } from './openai/index.js';
import { openrouterAdapter } from './openrouter/index.js';
import { workersAIAdapter } from './workers-ai/index.js';
import { pathOnly } from './passthrough-call.js';

const messages = [{ role: 'user', content: 'hi' }];

describe('openai-format paths', () => {
  const s = { type: 'openai' as const, apiKey: 'k' };
  test('chat, completions and embeddings, with or without /v1 and a query', () => {
    assert.deepEqual(openaiAdapter.passthroughCall(s, '/chat/completions', { model: 'gpt-4o-mini', messages, max_tokens: 9 }), { operation: 'chat', model: 'gpt-4o-mini', maxOutputTokens: 9, stream: false });
    assert.deepEqual(openaiAdapter.passthroughCall(s, '/v1/chat/completions?x=1', { model: 'o4-mini', messages, max_completion_tokens: 7, stream: true }), { operation: 'chat', model: 'o4-mini', maxOutputTokens: 7, stream: true });
    assert.equal(openaiAdapter.passthroughCall(s, '/completions', { model: 'gpt-3.5-turbo-instruct', prompt: 'x' })?.operation, 'completions');
    assert.deepEqual(openaiAdapter.passthroughCall(s, '/embeddings/', { model: 'text-embedding-3-small', input: 'x', max_tokens: 5 }), { operation: 'embeddings', model: 'text-embedding-3-small', maxOutputTokens: undefined, stream: false });
  });
  test('unpriced endpoints and bodies without a model are not calls', () => {
    assert.equal(openaiAdapter.passthroughCall(s, '/models', {}), undefined);
    assert.equal(openaiAdapter.passthroughCall(s, '/images/generations', { model: 'dall-e-3', prompt: 'x' }), undefined);
    assert.equal(openaiAdapter.passthroughCall(s, '/chat/completions', { messages }), undefined);
    assert.equal(openaiAdapter.passthroughCall(s, '/chat/completions', { model: 42, messages }), undefined);
    assert.equal(openaiAdapter.passthroughCall(s, '/chat/completions', { model: 'm'.repeat(300), messages }), undefined);
  });
  test('openrouter model ids keep their slash', () => {
    const call = openrouterAdapter.passthroughCall({ type: 'openrouter' }, '/chat/completions', { model: 'meta-llama/llama-3.1-8b-instruct', messages });
    assert.equal(call?.model, 'meta-llama/llama-3.1-8b-instruct');
  });
});

describe('azure', () => {
  const s = { type: 'azure-openai' as const, baseUrl: 'https://r.openai.azure.com', deployments: { 'gpt-4o': 'prod-4o' } };
  test('a deployment path is priced as the model it is mapped from', () => {
    assert.equal(azureOpenAIAdapter.passthroughCall(s, '/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21', { messages })?.model, 'gpt-4o');
    assert.equal(azureOpenAIAdapter.passthroughCall(s, '/openai/deployments/gpt-4o-mini/embeddings?api-version=2024-10-21', { input: 'x' })?.operation, 'embeddings');
    assert.equal(azureOpenAIAdapter.passthroughCall(s, '/openai/deployments/gpt-4o-mini/embeddings', { input: 'x' })?.model, 'gpt-4o-mini');
  });
  test('the v1 API names the model in the body; odd deployment names are not calls', () => {
    assert.equal(azureOpenAIAdapter.passthroughCall(s, '/openai/v1/chat/completions', { model: 'gpt-4o', messages })?.model, 'gpt-4o');
    assert.equal(azureOpenAIAdapter.passthroughCall(s, '/openai/deployments/a%2Fb/chat/completions', { messages }), undefined);
    assert.equal(azureOpenAIAdapter.passthroughCall(s, '/openai/deployments/prod-4o/images/generations', { prompt: 'x' }), undefined);
  });
});

describe('anthropic', () => {
  const s = { type: 'anthropic' as const, apiKey: 'k', version: '2023-06-01', defaultMaxTokens: 4096 };
  test('only Messages calls are billable', () => {
    assert.deepEqual(anthropicAdapter.passthroughCall(s, '/v1/messages', { model: 'claude-sonnet-4-5', max_tokens: 50, messages, stream: true }), { operation: 'chat', model: 'claude-sonnet-4-5', maxOutputTokens: 50, stream: true });
    assert.equal(anthropicAdapter.passthroughCall(s, '/v1/messages/count_tokens', { model: 'claude-sonnet-4-5', messages }), undefined);
  });
  test('the system prompt is read as input by bounds and estimates', () => {
    const call = anthropicAdapter.passthroughCall(s, '/v1/messages', { model: 'claude-sonnet-4-5', system: [{ type: 'text', text: 'be brief' }], messages });
    assert.deepEqual(call?.estimateBody?.messages, [{ role: 'system', content: [{ type: 'text', text: 'be brief' }] }, ...messages]);
    assert.equal(anthropicAdapter.passthroughCall(s, '/v1/models', {}), undefined);
  });
});

describe('workers-ai', () => {
  const s = { type: 'workers-ai' as const, accountId: 'a', apiToken: 't' };
  test('the run path is the model; the body says the operation', () => {
    assert.deepEqual(workersAIAdapter.passthroughCall(s, '/@cf/meta/llama-3.1-8b-instruct', { messages, max_tokens: 20 }), { operation: 'chat', model: '@cf/meta/llama-3.1-8b-instruct', maxOutputTokens: 20, stream: false });
    assert.equal(workersAIAdapter.passthroughCall(s, '/@cf/meta/llama-3.1-8b-instruct', { prompt: 'x' })?.operation, 'completions');
    const embed = workersAIAdapter.passthroughCall(s, '/@cf/baai/bge-base-en-v1.5', { text: ['a', 'b'] });
    assert.equal(embed?.operation, 'embeddings');
    assert.deepEqual(embed?.estimateBody?.input, ['a', 'b']);
    assert.equal(workersAIAdapter.passthroughCall(s, '/@cf/stabilityai/stable-diffusion-xl-base-1.0', { image: [1] }), undefined);
  });
  test('/v1/ paths are the OpenAI-compatible API', () => {
    assert.equal(workersAIAdapter.passthroughCall(s, '/v1/chat/completions', { model: '@cf/meta/llama-3.1-8b-instruct', messages })?.model, '@cf/meta/llama-3.1-8b-instruct');
    assert.equal(workersAIAdapter.passthroughCall(s, '/v1/models', {}), undefined);
  });
});

test('pathOnly drops the query and one trailing slash', () => {
  assert.equal(pathOnly('/a/b/?q=1'), '/a/b');
  assert.equal(pathOnly('/'), '/');
  assert.equal(pathOnly('/x?'), '/x');
});
