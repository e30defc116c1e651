// Unit tests for bounded-map.ts: never more than maxKeys entries; the least recently written
// entry goes first; rewriting a key protects it; reads do not reorder; deletes work; a
// non-positive or fractional capacity is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedMap } from './bounded-map.js';

test('evicts the least recently written entry beyond maxKeys', () => {
  const m = new BoundedMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  m.get('a'); // a read does not protect a
  m.set('c', 3);
  assert.equal(m.size, 2);
  assert.equal(m.get('a'), undefined);
  assert.deepEqual([m.get('b'), m.get('c')], [2, 3]);
});

test('rewriting a key moves it to the newest end', () => {
  const m = new BoundedMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  m.set('a', 10);
  m.set('c', 3);
  assert.deepEqual([m.get('a'), m.get('b'), m.get('c')], [10, undefined, 3]);
  m.delete('a');
  assert.equal(m.size, 1);
});

test('refuses a capacity below one', () => {
  assert.throws(() => new BoundedMap(0), RangeError);
  assert.throws(() => new BoundedMap(1.5), RangeError);
});
