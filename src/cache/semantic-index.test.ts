import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { normalise, SemanticIndex } from './semantic-index.js';
import { promptText } from './semantic-lookup.js';

const v = (...xs: number[]) => normalise(xs)!;

describe('semantic index', () => {
  test('finds the most similar vector of its partition at or above the threshold', () => {
    const index = new SemanticIndex(100);
    index.add('p1', v(1, 0, 0), 'k-x', 1000);
    index.add('p1', v(0.9, 0.1, 0), 'k-near', 1000);
    index.add('p2', v(0, 1, 0), 'k-y', 1000);
    const found = index.best('p1', v(0.92, 0.08, 0), 0.9, 0)!;
    assert.equal(found.key, 'k-near');
    assert.ok(found.similarity > 0.99 && found.similarity <= 1);
    assert.equal(index.best('p1', v(0, 1, 0), 0.9, 0), undefined, 'below the threshold');
    assert.equal(index.best('p3', v(1, 0, 0), 0, 0), undefined, 'other partitions are never candidates');
    assert.equal(index.best('p1', v(1, 0), 0, 0), undefined, 'other dimensions are never compared');
  });

  test('expired, forgotten and evicted entries are not returned; size stays bounded', () => {
    const index = new SemanticIndex(3);
    index.add('p', v(1, 0), 'old', 10);
    index.add('p', v(1, 0.01), 'a', 1000);
    assert.equal(index.best('p', v(1, 0), 0.9, 20)!.key, 'a', 'the expired one is skipped');
    index.forget('p', 'a');
    assert.equal(index.best('p', v(1, 0), 0.9, 20), undefined);
    for (let i = 0; i < 50; i++) index.add('p', v(1, i / 100), `k${i}`, 1000);
    assert.equal(index.size, 3);
    assert.match(index.best('p', v(1, 0.49), 0.9, 0)!.key, /^k4[789]$/);
    index.clear();
    assert.equal(index.size, 0);
    assert.equal(normalise([0, 0]), undefined);
    assert.equal(normalise([]), undefined);
  });

  test('prompt text: roles and text contents, whitespace collapsed; non-text parts opt out', () => {
    assert.equal(promptText('chat', { messages: [{ role: 'system', content: 'Be  brief.' }, { role: 'user', content: [{ type: 'text', text: 'Hi\n\nthere' }] }] }), 'system: Be brief. user: Hi there');
    assert.equal(promptText('chat', { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'x' } }] }] }), undefined);
    assert.equal(promptText('completions', { prompt: ' a  b ' }), 'a b');
    assert.equal(promptText('completions', { prompt: ['a'] }), undefined);
    assert.equal(promptText('embeddings', { input: 'a' }), undefined);
  });
});
