import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskUser } from './mask-user.js';
import { CANARIES, findLeaks } from './canaries.js';

test('long ids keep 8 leading and 3 trailing characters', () => {
  assert.equal(maskUser('user_123456789'), 'user_123***789');
  assert.equal(maskUser('usr_8f3a2b9c7d1e4567'), 'usr_8f3a***567');
});

test('short ids are fully hidden', () => {
  assert.equal(maskUser('bob'), '***');
  assert.equal(maskUser('user_1234567'), '***');
  assert.equal(maskUser('   '), '***');
});

test('ids that are personal data are masked as such', () => {
  assert.equal(maskUser('alice.smith@example.com'), '[EMAIL]');
  assert.equal(maskUser('sk-proj-Tq7Rz2Lm9Xv4Bn8Kd3Wp6H'), 'sk-proj-[REDACTED]');
  assert.equal(maskUser('+1 415 555 0132'), '[PHONE]');
});

test('no canary survives maskUser', () => {
  for (const canary of CANARIES) {
    assert.deepEqual(findLeaks(maskUser(canary.value), [canary]), [], canary.value);
  }
});

test('control characters cannot forge log lines through the user id', () => {
  assert.ok(!maskUser('user_1234\n{"level":"fatal"}56789').includes('\n'));
});
