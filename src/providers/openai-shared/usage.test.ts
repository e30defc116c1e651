// Unit tests for reading OpenAI-format usage objects: prompt and completion tokens map to input
// and output tokens, cached prompt tokens are reported only when positive, embeddings usage
// (no completion tokens) reads as zero output, and garbage (non-objects, negative, fractional,
// non-finite or non-numeric counts) never yields anything but non-negative integers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { usageFromOpenAI } from './usage.js';

describe('usageFromOpenAI', () => {
  test('chat usage', () => {
    assert.deepEqual(usageFromOpenAI({ prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 }), { inputTokens: 12, outputTokens: 7 });
  });

  test('cached prompt tokens', () => {
    assert.deepEqual(
      usageFromOpenAI({ prompt_tokens: 2000, completion_tokens: 10, prompt_tokens_details: { cached_tokens: 1536, audio_tokens: 0 } }),
      { inputTokens: 2000, outputTokens: 10, cachedInputTokens: 1536 },
    );
  });

  test('zero or invalid cached tokens are omitted', () => {
    for (const details of [{ cached_tokens: 0 }, { cached_tokens: -3 }, { cached_tokens: 'many' }, {}, null, 'x']) {
      const u = usageFromOpenAI({ prompt_tokens: 5, completion_tokens: 1, prompt_tokens_details: details });
      assert.deepEqual(u, { inputTokens: 5, outputTokens: 1 }, JSON.stringify(details));
      assert.equal(u !== undefined && 'cachedInputTokens' in u, false);
    }
  });

  test('embeddings usage has no completion tokens', () => {
    assert.deepEqual(usageFromOpenAI({ prompt_tokens: 8, total_tokens: 8 }), { inputTokens: 8, outputTokens: 0 });
  });

  test('non-objects give undefined', () => {
    for (const raw of [undefined, null, 0, 42, 'usage', true]) assert.equal(usageFromOpenAI(raw), undefined, String(raw));
  });

  test('bad counts become 0 and fractions are floored', () => {
    assert.deepEqual(usageFromOpenAI({ prompt_tokens: -1, completion_tokens: '5' }), { inputTokens: 0, outputTokens: 0 });
    assert.deepEqual(usageFromOpenAI({ prompt_tokens: Number.NaN, completion_tokens: Number.POSITIVE_INFINITY }), { inputTokens: 0, outputTokens: 0 });
    assert.deepEqual(usageFromOpenAI({ prompt_tokens: 10.9, completion_tokens: 3.2, prompt_tokens_details: { cached_tokens: 4.7 } }), { inputTokens: 10, outputTokens: 3, cachedInputTokens: 4 });
    assert.deepEqual(usageFromOpenAI({}), { inputTokens: 0, outputTokens: 0 });
    assert.deepEqual(usageFromOpenAI([]), { inputTokens: 0, outputTokens: 0 });
  });
});
