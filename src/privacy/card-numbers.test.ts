import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskCardRun } from './card-numbers.js';

test('a whole run that is a card is masked', () => {
  assert.equal(maskCardRun('4111 1111 1111 1111'), '[CARD]');
  assert.equal(maskCardRun('4111%201111%201111%201111'), '[CARD]');
  assert.equal(maskCardRun('3782-822463-10005'), '[CARD]');
});

test('a card inside a longer run of groups is found, the other groups kept', () => {
  assert.equal(maskCardRun('123 4111 1111 1111 1111'), '123 [CARD]');
  assert.equal(maskCardRun('4111 1111 1111 1111 22'), '[CARD] 22');
  assert.equal(maskCardRun('4111111111111111 5555555555554444'), '[CARD] [CARD]');
});

test('runs without a card stay as they are', () => {
  assert.equal(maskCardRun('4111 1111 1111 1112'), '4111 1111 1111 1112');
  assert.equal(maskCardRun('12345678901234567890123'), '12345678901234567890123');
  assert.equal(maskCardRun('1763898000004'), '1763898000004');
  assert.equal(maskCardRun('388 886 248 170 270'), '388 886 248 170 270', 'Luhn-valid, but not grouped like a card');
  assert.equal(maskCardRun('4111 1111 1111 1111 111'), '[CARD] 111');
});
