// Unit tests for sensitivity.ts: the three levels parse case- and space-insensitively, absent
// or empty means public, and anything unrecognised (typos, repeated headers, other words) fails
// closed to confidential; only public data may reach untrusted providers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allowsUntrusted, parseSensitivity, sensitivityFromHeaders } from './sensitivity.js';

test('known levels, any case, surrounding space ignored', () => {
  assert.equal(parseSensitivity('internal'), 'internal');
  assert.equal(parseSensitivity(' Confidential '), 'confidential');
  assert.equal(parseSensitivity('PUBLIC'), 'public');
});

test('absent or empty is public', () => {
  assert.equal(parseSensitivity(undefined), 'public');
  assert.equal(parseSensitivity(''), 'public');
  assert.equal(parseSensitivity('   '), 'public');
  assert.equal(parseSensitivity([]), 'public');
  assert.equal(sensitivityFromHeaders({}), 'public');
});

test('anything unrecognised fails closed to confidential', () => {
  assert.equal(parseSensitivity('confidental'), 'confidential');
  assert.equal(parseSensitivity('secret'), 'confidential');
  assert.equal(parseSensitivity('internal, public'), 'confidential');
  assert.equal(parseSensitivity(['public']), 'confidential');
  assert.equal(sensitivityFromHeaders({ 'x-tollgate-sensitivity': 'top' }), 'confidential');
});

test('only public data may reach untrusted providers', () => {
  assert.deepEqual((['public', 'internal', 'confidential'] as const).map(allowsUntrusted), [true, false, false]);
});
