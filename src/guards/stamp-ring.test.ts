import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StampRing } from './stamp-ring.js';

test('keeps order across wrap-around and growth; drops through a cutoff', () => {
  const r = new StampRing();
  for (let i = 1; i <= 6; i++) r.push(i);
  r.dropThrough(4); // head moves to the middle, so later pushes wrap
  for (let i = 7; i <= 30; i++) r.push(i); // grows while wrapped
  assert.equal(r.size, 26);
  assert.deepEqual(Array.from({ length: r.size }, (_, i) => r.at(i)), Array.from({ length: 26 }, (_, i) => i + 5));
  r.dropThrough(29);
  assert.equal(r.size, 1);
  assert.equal(r.at(0), 30);
  r.dropThrough(100);
  assert.equal(r.size, 0);
  r.push(101);
  assert.equal(r.at(0), 101);
});
