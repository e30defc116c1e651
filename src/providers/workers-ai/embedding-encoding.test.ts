import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float32Base64 } from './embedding-encoding.js';

test('encodes little-endian float32 that decodes back to the same vector', () => {
  const values = [0.5, -1.25, 3];
  const bytes = Buffer.from(float32Base64(values), 'base64');
  assert.equal(bytes.length, 12);
  assert.deepEqual([0, 1, 2].map((i) => bytes.readFloatLE(i * 4)), values);
  assert.equal(float32Base64([1]), 'AACAPw==');
  assert.equal(float32Base64([]), '');
});
