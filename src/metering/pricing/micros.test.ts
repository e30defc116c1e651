import { test } from 'node:test';
import assert from 'node:assert/strict';
import { divideRoundHalfUp, microsToUsd, usdToMicros, usdToMicrosRounded } from './micros.js';

test('usdToMicros converts list prices exactly despite binary floats', () => {
  assert.equal(usdToMicros(0.075), 75_000);
  assert.equal(usdToMicros(0.005), 5_000);
  assert.equal(usdToMicros(2.5), 2_500_000);
  assert.equal(usdToMicros(0.000001), 1);
  assert.equal(usdToMicros(0), 0);
});

test('usdToMicros rejects sub-micro precision, negatives and non-finite values', () => {
  assert.equal(usdToMicros(0.0000001), undefined);
  assert.equal(usdToMicros(-1), undefined);
  assert.equal(usdToMicros(Number.NaN), undefined);
  assert.equal(usdToMicros(Number.POSITIVE_INFINITY), undefined);
});

test('usdToMicrosRounded rounds to the nearest micro-dollar', () => {
  assert.equal(usdToMicrosRounded(0.0000014), 1);
  assert.equal(usdToMicrosRounded(0.05), 50_000);
});

test('divideRoundHalfUp rounds halves up and keeps exact quotients', () => {
  assert.equal(divideRoundHalfUp(10n, 5n), 2);
  assert.equal(divideRoundHalfUp(5n, 10n), 1);
  assert.equal(divideRoundHalfUp(4n, 10n), 0);
  assert.equal(divideRoundHalfUp(15n, 10n), 2);
  assert.equal(divideRoundHalfUp(0n, 7n), 0);
  assert.throws(() => divideRoundHalfUp(1n, 0n), RangeError);
  assert.throws(() => divideRoundHalfUp(-1n, 3n), RangeError);
});

test('microsToUsd is the inverse for display', () => {
  assert.equal(microsToUsd(1_500_000), 1.5);
});
