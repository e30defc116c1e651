import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskMetadata } from './mask-metadata.js';

test('scalar values are kept as masked strings', () => {
  assert.deepEqual(maskMetadata({ team: 'search', n: 5, ok: true, email: 'alice.smith@example.com' }), {
    team: 'search', n: '5', ok: 'true', email: '[EMAIL]',
  });
});

test('keys are masked too, and nested values, nulls and prototype keys dropped', () => {
  const input = JSON.parse('{"bob@example.com":"x","__proto__":"p","nested":{"a":1},"list":[1],"nil":null,"inf":1e999}') as unknown;
  assert.deepEqual(maskMetadata(input), { '[EMAIL]': 'x' });
});

test('limits bound the number of keys and the length of keys and values', () => {
  const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]));
  const out = maskMetadata(many, { maxKeys: 3, maxValueChars: 10 });
  assert.ok(out);
  assert.equal(Object.keys(out).length, 3);
  for (const v of Object.values(out)) assert.ok(v.length <= 10);
  const longKey = maskMetadata({ ['k'.repeat(200)]: 'v' });
  assert.ok(longKey && Object.keys(longKey)[0].length <= 64);
});

test('a value cut at its limit leaves no fragment of PII behind', () => {
  const out = maskMetadata({ note: `${'a'.repeat(250)} alice.smith@example.com` });
  assert.ok(out && !out.note.includes('alice'));
});

test('non-objects and empty results give null', () => {
  assert.equal(maskMetadata(null), null);
  assert.equal(maskMetadata('x'), null);
  assert.equal(maskMetadata([1, 2]), null);
  assert.equal(maskMetadata({ nested: { a: 1 } }), null);
});
