import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CANARIES, TEXT_CANARIES, encodedForms, findLeaks, type CanaryKind } from './canaries.js';
import { looksLikeCard } from './luhn.js';

test('findLeaks spots a canary in any encoded form and ignores clean text', () => {
  const email = CANARIES[0];
  assert.deepEqual(findLeaks(`x ${email.value} y`), [email]);
  assert.deepEqual(findLeaks(encodeURIComponent(`x ${email.value}`)), [email]);
  assert.deepEqual(findLeaks(`local part only: ${email.secret}`), [email]);
  assert.deepEqual(findLeaks('nothing to see'), []);
});

test('encodedForms gives plain, JSON-string and URL spellings', () => {
  assert.deepEqual(encodedForms('a"b c'), ['a"b c', 'a\\"b c', 'a%22b%20c']);
});

test('the canary list covers every kind, and its cards are valid test numbers', () => {
  const kinds = new Set(CANARIES.map((c) => c.kind));
  const all: CanaryKind[] = ['email', 'phone', 'card', 'api-key', 'bearer', 'dsn', 'user-id'];
  for (const k of all) assert.ok(kinds.has(k), k);
  for (const c of CANARIES.filter((x) => x.kind === 'card')) assert.ok(looksLikeCard(c.value.replace(/\D/g, '')), c.value);
  assert.ok(TEXT_CANARIES.every((c) => c.kind !== 'user-id'));
});
