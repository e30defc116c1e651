import { test } from 'node:test';
import assert from 'node:assert/strict';
import { estimateUsage } from '../metering/pricing/estimate.js';
import { inputTokenBound } from './input-bound.js';

const text = 'Summarise the benefits of connection pooling in two sentences, and mention latency, sockets and TLS.';

test('chat: at or above the tokenizer estimate for ordinary text, with framing per message', () => {
  const body = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: text }] };
  assert.ok(inputTokenBound('chat', body) >= estimateUsage('chat', body, '').inputTokens);
  assert.equal(inputTokenBound('chat', { messages: [] }), 3);
});

test('chat: text parts, images, audio/file parts, tool calls and tools are counted', () => {
  const body = {
    messages: [
      { role: 'user', content: [{ type: 'text', text: 'abcdef' }, { type: 'image_url', image_url: { url: 'data:…' } }, { type: 'input_audio', input_audio: { data: 'xyz', format: 'wav' } }, null, 'odd'] },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
      null,
    ],
    tools: [{ type: 'function', function: { name: 'f', parameters: {} } }],
  };
  const n = inputTokenBound('chat', body);
  assert.ok(n > 3 + 4 + 2 + 1_000 + 4, String(n));
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  assert.equal(inputTokenBound('chat', { messages: [], tools: circular }), 3, 'an unserialisable value counts as nothing');
});

test('completions and embeddings: strings, lists and pre-tokenized ids; CJK counts per byte', () => {
  assert.equal(inputTokenBound('completions', { prompt: 'abcdef' }), 2);
  assert.equal(inputTokenBound('completions', { prompt: ['abc', 7, [1, 2, 3]] }), 1 + 1 + 3);
  assert.equal(inputTokenBound('embeddings', { input: '日本語' }), 3);
  assert.equal(inputTokenBound('embeddings', { input: 42 }), 0);
});
