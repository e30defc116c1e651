// Unit tests for request ids: a sane incoming x-request-id (8 to 128 characters of letters,
// digits and `._:-`) is kept verbatim, the first of repeated headers is used, and anything else
// (missing, too short, too long, CR/LF injection, spaces, quotes, non-ASCII) is replaced by a
// fresh random UUID, so an id can never smuggle a header break or a log line (catalogue B6).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { requestIdFrom } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdFrom', () => {
  test('keeps sane incoming ids verbatim', () => {
    for (const id of ['abcd1234', 'req_01HXYZ.trace:span-1', 'A'.repeat(128), '0123-4567-89ab-cdef', '3f2b8c1e-6f44-4e7a-9d2b-0c1a2b3c4d5e']) {
      assert.equal(requestIdFrom(id), id);
    }
  });

  test('uses the first of repeated headers', () => {
    assert.equal(requestIdFrom(['first-id-123', 'second-id-456']), 'first-id-123');
    assert.match(requestIdFrom(['bad id', 'second-id-456']), UUID);
    assert.match(requestIdFrom([]), UUID);
  });

  test('replaces missing and malformed ids with a UUID', () => {
    const bad = [
      undefined,
      '',
      'short',
      'abcdefg', // 7 characters
      'A'.repeat(129),
      'abc12345\r\nx-injected: 1',
      'abc12345\nlog line',
      'abc 12345',
      ' abc12345',
      'abc12345 ',
      'abc"12345',
      'abc/12345',
      'abc12345é',
      'abc12345\u0000',
      '<script>alert(1)</script>',
    ];
    for (const value of bad) {
      const id = requestIdFrom(value);
      assert.match(id, UUID, JSON.stringify(value));
      assert.notEqual(id, value);
    }
  });

  test('minted ids are unique', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => requestIdFrom(undefined)));
    assert.equal(ids.size, 1000);
  });
});
