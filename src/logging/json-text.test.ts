// The helpers must write exactly what JSON.stringify writes for the same value: checked for
// arbitrary strings (lone surrogates, controls, quotes, long text) and numbers (fractions,
// huge and tiny magnitudes, -0, NaN, infinities). Seeded, bounded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../test/fuzz-corpus/corpus.js';
import { jsonNumber, jsonNumberOrNull, jsonString, jsonStringOrNull } from './json-text.js';

test('jsonString writes what JSON.stringify writes, for any string', () => {
  const text = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 300 }),
    fc.constantFrom('', 'plain', 'say "hi"', 'back\\slash', 'line\nbreak', '\u2028\u2029', '\ud800', 'a\udfffb', '😀', 'x'.repeat(257)),
  );
  fc.assert(fc.property(text, (s) => assert.equal(jsonString(s), JSON.stringify(s))), fuzzParams(2000));
});

test('jsonNumber writes what JSON.stringify writes, for any number', () => {
  const n = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1e21, 1e-7, 0.1 + 0.2, Number.MAX_SAFE_INTEGER + 2));
  fc.assert(fc.property(n, (v) => assert.equal(jsonNumber(v), JSON.stringify(v))), fuzzParams(2000));
});

test('null and undefined are written as null', () => {
  assert.equal(jsonStringOrNull(null), 'null');
  assert.equal(jsonStringOrNull(undefined), 'null');
  assert.equal(jsonStringOrNull('a"b'), '"a\\"b"');
  assert.equal(jsonNumberOrNull(null), 'null');
  assert.equal(jsonNumberOrNull(undefined), 'null');
  assert.equal(jsonNumberOrNull(412.5), '412.5');
});
