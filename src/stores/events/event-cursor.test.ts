import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor, encodeCursor, InvalidCursorError } from './event-cursor.js';

test('round-trips a position, including awkward request ids', () => {
  for (const requestId of ['req_1', '', 'with "quotes" and \\ and ü', '\u{1F600}']) {
    const position = { time: 1_700_000_000_123, requestId };
    const cursor = encodeCursor(position);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.deepEqual(decodeCursor(cursor), position);
  }
});

test('null, undefined and empty mean the first page', () => {
  assert.equal(decodeCursor(null), null);
  assert.equal(decodeCursor(undefined), null);
  assert.equal(decodeCursor(''), null);
});

test('rejects malformed cursors with InvalidCursorError', () => {
  const b64 = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');
  const bad = ['not base64!', 'e30', b64([1]), b64(['1', 'a']), b64([1.5, 'a']), b64([1, 2]), b64({ time: 1 }),
    Buffer.from('[1,"a"').toString('base64url')];
  for (const cursor of bad) assert.throws(() => decodeCursor(cursor), InvalidCursorError, cursor);
});
