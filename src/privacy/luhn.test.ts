import { test } from 'node:test';
import assert from 'node:assert/strict';
import { looksLikeCard, luhnValid } from './luhn.js';

test('luhnValid accepts published test card numbers', () => {
  for (const n of ['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '4012888888881881']) {
    assert.equal(luhnValid(n), true, n);
  }
});

test('luhnValid rejects a changed digit and non-digits', () => {
  assert.equal(luhnValid('4111111111111112'), false);
  assert.equal(luhnValid('4111-1111'), false);
  assert.equal(luhnValid(''), false);
});

test('looksLikeCard requires length, issuer digit and checksum', () => {
  assert.equal(looksLikeCard('4111111111111111'), true);
  assert.equal(looksLikeCard('4222222222222'), true);
  assert.equal(looksLikeCard('1763898000004'), false, 'epoch ms timestamps start with 1');
  assert.equal(looksLikeCard('5222222222222'), false, '13 digits only for Visa');
  assert.equal(looksLikeCard('79927398713'), false, 'too short');
  assert.equal(looksLikeCard('41111111111111111111'), false, 'too long');
  assert.equal(looksLikeCard('4111111111111112'), false, 'checksum');
});
