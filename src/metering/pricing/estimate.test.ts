import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SAMPLE_CHARS, estimateChatInputTokens, estimateOutputTokens, estimatePromptTokens, estimateTokens, estimateUsage,
} from './estimate.js';

test('counts match the o200k tokenizer for ordinary text', () => {
  assert.equal(estimateTokens(''), 0);
  assert.equal(estimateTokens('Hello world'), 2);
  assert.equal(estimateOutputTokens('Hi there!'), 3);
});

test('special-token text is counted as text, not rejected', () => {
  assert.ok(estimateTokens('before <|endoftext|> after') > 3);
});

test('chat input adds per-message framing and counts tools', () => {
  const body = { messages: [{ role: 'system', content: 'You are helpful.' }, { role: 'user', content: 'Hi there!' }] };
  // 3 priming + (3 + 4 content + 1 role) + (3 + 3 content + 1 role)
  assert.equal(estimateChatInputTokens(body), 18);
  const withParts = { messages: [{ role: 'user', name: 'bob', content: [{ type: 'text', text: 'Hi there!' }, { type: 'image_url', image_url: { url: 'x' } }, null] }] };
  assert.equal(estimateChatInputTokens(withParts), 3 + 3 + 1 + 1 + 1 + 3 + 85);
  const withTools = { ...body, tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] };
  assert.ok(estimateChatInputTokens(withTools) > 18);
  assert.equal(estimateChatInputTokens({}), 3);
  assert.equal(estimateChatInputTokens({ messages: [null, 'x'] }), 3);
});

test('prompts may be strings, lists or token ids', () => {
  assert.equal(estimatePromptTokens('Hello world'), 2);
  assert.equal(estimatePromptTokens(['Hello world', 'Hi there!']), 5);
  assert.equal(estimatePromptTokens([1, 2, 3]), 3);
  assert.equal(estimatePromptTokens([[1, 2], [3]]), 3);
  assert.equal(estimatePromptTokens(undefined), 0);
});

test('estimateUsage picks the right request field per operation', () => {
  assert.deepEqual(estimateUsage('chat', { messages: [{ role: 'user', content: 'Hi there!' }] }, 'Hello world'), { inputTokens: 10, outputTokens: 2 });
  assert.deepEqual(estimateUsage('completions', { prompt: 'Hello world' }, 'Hi there!'), { inputTokens: 2, outputTokens: 3 });
  assert.deepEqual(estimateUsage('embeddings', { input: ['Hello world'] }, 'ignored'), { inputTokens: 2, outputTokens: 0 });
});

test('huge inputs are sampled and extrapolated within bounded time', () => {
  const unit = 'The quick brown fox jumps over the lazy dog. ';
  const text = unit.repeat(Math.ceil((SAMPLE_CHARS * 30) / unit.length));
  const started = performance.now();
  const estimate = estimateTokens(text);
  assert.ok(performance.now() - started < 2000);
  const exactPerUnit = estimateTokens(unit.repeat(100)) / 100;
  const expected = (exactPerUnit * text.length) / unit.length;
  assert.ok(Math.abs(estimate - expected) / expected < 0.02, `${estimate} vs ${expected}`);
});

test('one long run without spaces does not stall the tokenizer', () => {
  const started = performance.now();
  assert.ok(estimateTokens('x'.repeat(1_000_000)) > 0);
  assert.ok(estimateTokens('😀'.repeat(20_000)) > 0);
  assert.ok(performance.now() - started < 3000);
});
