// isoTime must equal Date#toISOString for any millisecond time, in any order of calls.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../test/fuzz-corpus/corpus.js';
import { isoTime } from './iso-time.js';

test('isoTime writes what toISOString writes', () => {
  const base = Date.UTC(2026, 11, 7, 15, 30, 59, 998);
  for (const t of [base, base + 1, base + 2, base + 3, base - 999, 0, 1, 999, 1000, -1, -1001, 253402300799999, 253402300800000, -62198755200001]) {
    assert.equal(isoTime(t), new Date(t).toISOString(), String(t));
  }
  fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (t) => assert.equal(isoTime(t), new Date(t).toISOString())), fuzzParams(2000));
});
