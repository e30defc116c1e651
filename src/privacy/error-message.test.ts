import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_ERROR_MESSAGE_CHARS, sanitizeErrorMessage } from './error-message.js';
import { TEXT_CANARIES, findLeaks } from './canaries.js';

test('secrets echoed in upstream and driver errors are masked', () => {
  assert.equal(
    sanitizeErrorMessage(new Error('Incorrect API key provided: sk-proj-Tq7Rz2Lm9Xv4Bn8Kd3Wp6H.')),
    'Incorrect API key provided: sk-proj-[REDACTED].',
  );
  assert.equal(
    sanitizeErrorMessage('getaddrinfo ENOTFOUND postgres://tollgate:Sup3rS3cretPw@db.internal:5432/tollgate'),
    'getaddrinfo ENOTFOUND postgres://tollgate:[REDACTED]@db.internal:5432/tollgate',
  );
  assert.equal(sanitizeErrorMessage({ message: 'WRONGPASS redis://:r3d1sPa55w0rd@cache:6379' }), 'WRONGPASS redis://:[REDACTED]@cache:6379');
});

test('every text canary is removed from error messages', () => {
  for (const canary of TEXT_CANARIES) {
    const out = sanitizeErrorMessage(new Error(`upstream said: {"error":"bad input ${canary.value}"}`));
    assert.deepEqual(findLeaks(out, [canary]), [], canary.value);
  }
});

test('control characters are removed and the length bounded', () => {
  const out = sanitizeErrorMessage(`line1\nline2\r\u001b[31mred\u202Eevil${'x'.repeat(2000)}`);
  assert.ok(!/[\u0000-\u001f\u202e]/.test(out));
  assert.ok(out.startsWith('line1 line2 [31mred evil'));
  assert.ok(out.length <= MAX_ERROR_MESSAGE_CHARS);
  assert.equal(sanitizeErrorMessage('x'.repeat(100), 20).length, 20);
});

test('anything thrown becomes a string', () => {
  assert.equal(sanitizeErrorMessage(42), '42');
  assert.equal(sanitizeErrorMessage(undefined), 'undefined');
  assert.equal(sanitizeErrorMessage(Object.create(null)), 'unknown error');
});
