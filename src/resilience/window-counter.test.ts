// Unit tests for window-counter.ts: events inside the window are summed, slices older than the
// window drop out whole, a slot reused after wrapping around the ring starts from zero, events
// "from the future" relative to a query are not counted, and bad construction is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowCounter } from './window-counter.js';

test('sums events inside the window and forgets old slices', () => {
  const c = new WindowCounter(10_000, 10);
  c.add(0);
  c.add(500, 2);
  c.add(1_000);
  assert.equal(c.sum(1_000), 4);
  assert.equal(c.sum(9_999), 4);
  assert.equal(c.sum(10_000), 1, 'slice [0,1000) aged out; slice [1000,2000) remains');
  assert.equal(c.sum(11_000), 0);
});

test('a reused ring slot starts from zero', () => {
  const c = new WindowCounter(1_000, 4);
  c.add(0, 5);
  c.add(1_000, 1); // same slot index as t=0, one full ring later
  assert.equal(c.sum(1_000), 1);
});

test('queries in the past ignore later slices', () => {
  const c = new WindowCounter(1_000, 4);
  c.add(900, 3);
  assert.equal(c.sum(100), 0);
  assert.equal(c.sum(900), 3);
});

test('rejects a non-positive window or bad slice count', () => {
  assert.throws(() => new WindowCounter(0), RangeError);
  assert.throws(() => new WindowCounter(1_000, 0), RangeError);
  assert.throws(() => new WindowCounter(1_000, 2.5), RangeError);
});
