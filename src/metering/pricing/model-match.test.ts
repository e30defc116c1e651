import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchModel } from './model-match.js';

const models = new Map([
  ['gpt-4o', 'gpt-4o'],
  ['gpt-4o-mini', 'gpt-4o-mini'],
  ['gpt-4o-2024-05-13', 'gpt-4o-may'],
  ['claude-sonnet-4', 'sonnet-4'],
  ['claude-sonnet-4-5', 'sonnet-4-5'],
  ['gpt-4', 'gpt-4'],
  ['@cf/meta/llama-3.1-8b-instruct', 'llama'],
]);

test('exact ids match, case-insensitively', () => {
  assert.equal(matchModel(models, 'gpt-4o'), 'gpt-4o');
  assert.equal(matchModel(models, 'GPT-4o-Mini'), 'gpt-4o-mini');
  assert.equal(matchModel(models, '@cf/meta/llama-3.1-8b-instruct'), 'llama');
});

test('dated snapshots fall back to the longest catalogue prefix', () => {
  assert.equal(matchModel(models, 'gpt-4o-2024-08-06'), 'gpt-4o');
  assert.equal(matchModel(models, 'gpt-4o-mini-2024-07-18'), 'gpt-4o-mini');
  assert.equal(matchModel(models, 'claude-sonnet-4-5-20250929'), 'sonnet-4-5');
  assert.equal(matchModel(models, 'claude-sonnet-4-20250514'), 'sonnet-4');
  assert.equal(matchModel(models, 'gpt-4-0613'), 'gpt-4');
  assert.equal(matchModel(models, 'gpt-4o-latest'), 'gpt-4o');
});

test('an explicit snapshot entry wins over its family', () => {
  assert.equal(matchModel(models, 'gpt-4o-2024-05-13'), 'gpt-4o-may');
});

test('other models that merely share a prefix stay unknown', () => {
  assert.equal(matchModel(models, 'gpt-4o-audio-preview'), undefined);
  assert.equal(matchModel(models, 'claude-sonnet-4-7'), undefined);
  assert.equal(matchModel(models, 'gpt-4o-mini-search-preview-2025-03-11'), undefined);
  assert.equal(matchModel(models, 'gpt-5'), undefined);
  assert.equal(matchModel(models, '-2024-08-06'), undefined);
  assert.equal(matchModel(models, ''), undefined);
});
