import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  contentPieces, DEFAULT_CONTENT, embeddingDims, embeddingInputs, embeddingVector, inputTokensFor, requestTextChars,
  UTF8_CONTENT, vectorToBase64,
} from './mock-content.js';
import { decodeFloat32Base64 } from './test-client.js';

test('pieces: exactly N, non-empty, joined back to the text', () => {
  for (const n of [1, 2, 5, 7, 60]) {
    const pieces = contentPieces(DEFAULT_CONTENT, n);
    assert.equal(pieces.length, n);
    assert.ok(pieces.every((p) => p.length > 0));
    assert.equal(pieces.join(''), DEFAULT_CONTENT);
  }
  assert.deepEqual(contentPieces('abcdef', 3), ['ab', 'cd', 'ef']);
  assert.deepEqual(contentPieces('abcde', 2), ['ab', 'cde']);
});

test('pieces: N below 1 means one piece; cached results are stable', () => {
  assert.deepEqual(contentPieces('hi', 0), ['hi']);
  assert.equal(contentPieces('hi', 2), contentPieces('hi', 2));
});

test('pieces: short text is repeated with spaces until every piece is non-empty', () => {
  assert.deepEqual(contentPieces('ab', 5), ['a', 'b', ' ', 'a', 'b']);
  assert.equal(contentPieces('', 3).length, 3);
  assert.ok(contentPieces('', 3).every((p) => p.length > 0));
});

test('pieces never split a code point', () => {
  const pieces = contentPieces(UTF8_CONTENT, 9);
  assert.equal(pieces.join(''), UTF8_CONTENT);
  for (const p of pieces) assert.equal(Buffer.from(p).toString('utf8'), p);
  assert.ok(Buffer.byteLength(UTF8_CONTENT) > UTF8_CONTENT.length);
});

test('input tokens: ceil(chars / 4), min 1, over every text field', () => {
  assert.equal(inputTokensFor({}), 1);
  assert.equal(inputTokensFor({ messages: [{ role: 'user', content: 'abcde' }] }), 2);
  const body = {
    system: [{ type: 'text', text: '1234' }],
    messages: [
      { role: 'user', content: [{ type: 'text', text: '12345678' }, { type: 'image_url', image_url: { url: 'x' } }] },
      { role: 'assistant', content: 'abcd' },
      null,
      { role: 'tool' },
    ],
    prompt: ['ab', 'cd'],
    input: 'xy',
    text: ['z'],
    tools: [{ name: 'not counted' }],
  };
  assert.equal(requestTextChars(body), 4 + 8 + 4 + 4 + 2 + 1);
  assert.equal(inputTokensFor(body), 6);
  assert.equal(requestTextChars({ messages: [{ content: [null, 'raw'] }] }), 3);
});

test('embeddings: deterministic, distinct per text, exact in float32', () => {
  const a = embeddingVector('hello', 8);
  assert.deepEqual(a, embeddingVector('hello', 8));
  assert.notDeepEqual(a, embeddingVector('hellp', 8));
  assert.ok(a.every((v) => v >= -1 && v <= 1 && Number.isInteger(v * 1024)));
  assert.deepEqual(decodeFloat32Base64(vectorToBase64(a)), a);
});

test('embedding inputs and dims', () => {
  assert.deepEqual(embeddingInputs('a'), ['a']);
  assert.deepEqual(embeddingInputs(['a', 'b', [1, 2]]), ['a', 'b', '[1,2]']);
  assert.deepEqual(embeddingInputs(undefined), ['']);
  assert.equal(embeddingDims(undefined), 8);
  assert.equal(embeddingDims(3), 3);
  assert.equal(embeddingDims(0), 8);
  assert.equal(embeddingDims(1e9), 4096);
});
