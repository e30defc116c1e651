// Unit tests for bounded-map.ts: never more than maxKeys entries; the least recently written
// entry goes first; rewriting a key protects it; reads do not reorder; deletes work; a
// non-positive or fractional capacity is refused; rewriting the newest key in place keeps
// the order right, also after that key was deleted or another key was written.
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

test('rewriting the newest key again keeps it newest, also after a delete', () => {
  const m = new BoundedMap<string, number>(2);
  m.set('a', 1);
  m.set('b', 2);
  m.set('b', 20); // the in-place path
  m.set('c', 3); // evicts a, the oldest
  assert.deepEqual([m.get('a'), m.get('b'), m.get('c')], [undefined, 20, 3]);
  m.delete('c');
  m.set('c', 30); // c was newest but is gone: added again, at the newest end
  assert.equal(m.size, 2);
  m.set('d', 4); // evicts b
  assert.deepEqual([m.get('b'), m.get('c'), m.get('d')], [undefined, 30, 4]);
});

test('refuses a capacity below one', () => {
  assert.throws(() => new BoundedMap(0), RangeError);
  assert.throws(() => new BoundedMap(1.5), RangeError);
});
