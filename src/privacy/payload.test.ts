import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskPayload } from './payload.js';

test('payloads are masked whatever their form', () => {
  assert.equal(maskPayload('hi bob@example.com'), 'hi [EMAIL]');
  assert.equal(maskPayload({ messages: [{ content: 'card 4111111111111111' }] }), '{"messages":[{"content":"card [CARD]"}]}');
  assert.equal(maskPayload(Buffer.from('key sk-proj-Tq7Rz2Lm9Xv4Bn8K')), 'key sk-proj-[REDACTED]');
});

test('absent or unserializable payloads give null, large ones are bounded', () => {
  assert.equal(maskPayload(null), null);
  assert.equal(maskPayload(undefined), null);
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(maskPayload(cyclic), null);
  assert.equal(maskPayload('x'.repeat(100_000), 1000)?.length, 1000);
});
