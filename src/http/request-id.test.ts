// Unit tests for request ids: a sane incoming x-request-id (8 to 128 characters of letters,
// digits and `._:-`) is kept verbatim, the first of repeated headers is used, and anything else
// (missing, too short, too long, CR/LF injection, spaces, quotes, non-ASCII) is replaced by a
// fresh time-ordered UUID (version 7), so an id can never smuggle a header break or a log line (catalogue B6).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { requestIdFrom, timeOrderedUuid } from './request-id.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

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

  test('minted ids are version 7: the time in their first 48 bits, sorting by when they were made', () => {
    const at = Date.UTC(2026, 10, 23, 20, 0, 0, 123);
    const id = timeOrderedUuid(at);
    assert.match(id, UUID);
    assert.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at);
    const later = [at + 1, at + 1000, at + 86_400_000].map((t) => timeOrderedUuid(t));
    assert.deepEqual([...later].sort(), later);
    assert.ok(id < later[0]);
    // The far future still fits 48 bits and keeps the layout (year 10889 overflows).
    assert.match(timeOrderedUuid(Date.UTC(9999, 0, 1)), UUID);
  });

  test('within one millisecond only the random bits change, all of them, across pool refills', () => {
    const at = Date.UTC(2026, 11, 7, 12, 0, 0, 1);
    const ids = Array.from({ length: 2000 }, () => timeOrderedUuid(at)); // about 5 refills of the random pool
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ids) assert.equal(id.slice(0, 15), ids[0].slice(0, 15));
    assert.deepEqual(new Set(ids.map((id) => id[19])), new Set(['8', '9', 'a', 'b']));
    for (const pos of [15, 16, 17, 20, 21, 22, ...Array.from({ length: 12 }, (_, i) => 24 + i)]) {
      assert.ok(new Set(ids.map((id) => id[pos])).size > 8, `position ${pos} looks fixed`);
    }
  });

  test('ids minted over time never sort before earlier ones (other than within one millisecond)', () => {
    const ids: Array<{ t: number; id: string }> = [];
    for (let t = 1_700_000_000_000; t < 1_700_000_000_000 + 5000; t += 7) ids.push({ t, id: timeOrderedUuid(t) });
    const sorted = [...ids].sort((a, b) => (a.id < b.id ? -1 : 1));
    assert.deepEqual(sorted.map((x) => x.t), ids.map((x) => x.t));
  });
});
