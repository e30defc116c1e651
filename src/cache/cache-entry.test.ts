import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../test/fuzz-corpus/corpus.js';
import { decodeEntry, encodeEntry, hold, ownBytes, textLengthOf, type CachedAnswer } from './cache-entry.js';

const json: CachedAnswer = {
  v: 1, kind: 'json', body: '{"id":"x","choices":[{"message":{"content":"two\\nlines \\"quoted\\""}}]}',
  usage: { inputTokens: 3, outputTokens: 5 }, provider: 'p', model: 'm', costMicros: 12, createdAt: 1, expiresAt: 2,
};
const stream: CachedAnswer = {
  v: 1, kind: 'stream', payloads: ['{"x":1}', '{"y":"a \\"b\\""}', ''], usageChunk: true,
  usage: null, provider: 'p', model: 'm', costMicros: null, createdAt: 1, expiresAt: 2,
};

/** Entries carry their unused keys as undefined (one object shape); compare what they hold. */
const held = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

describe('cache entries', () => {
  test('JSON and stream answers round-trip through the text form, the answer kept raw after one header line', () => {
    for (const e of [json, stream, { ...stream, payloads: [] }, { ...stream, payloads: [''] }, { ...json, body: '' }]) {
      const text = encodeEntry(e);
      assert.deepEqual(held(decodeEntry(text)), held(e));
    }
    const text = encodeEntry(json);
    assert.equal(text.slice(text.indexOf('\n') + 1), json.body, 'the body is stored as sent, not escaped');
    assert.equal(encodeEntry(stream).split('\n').length, 1 + stream.payloads!.length);
  });

  test('the header line is what JSON.stringify writes for the same fields, for entries of every shape', () => {
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 20 }), fc.constantFrom('openai', 'gpt-4o', 'a"b\\c'));
    const usage = fc.option(fc.record({ inputTokens: fc.nat(), outputTokens: fc.nat(), cachedInputTokens: fc.nat(), cacheWriteTokens: fc.nat() }, { requiredKeys: ['inputTokens', 'outputTokens'] }), { nil: null });
    const entry = fc.record({
      kind: fc.constantFrom('json' as const, 'stream' as const), usageChunk: fc.option(fc.boolean(), { nil: undefined }), usage, provider: text, model: text,
      costMicros: fc.option(fc.integer(), { nil: null }), createdAt: fc.nat(), expiresAt: fc.double({ min: 0, max: 4e12, noNaN: true }),
    });
    fc.assert(fc.property(entry, (e) => {
      const full: CachedAnswer = { v: 1, ...e, body: 'b', payloads: ['p'] };
      const line = encodeEntry(full).split('\n')[0];
      const n = e.kind === 'stream' ? 1 : undefined;
      const expected = { v: 2, kind: e.kind, usageChunk: e.usageChunk, usage: e.usage, provider: e.provider, model: e.model, costMicros: e.costMicros, createdAt: e.createdAt, expiresAt: e.expiresAt, n };
      assert.equal(line, JSON.stringify(expected));
    }), fuzzParams(500));
  });

  test('a stream payload holding a newline falls back to the one-document form, which still decodes', () => {
    const odd = { ...stream, payloads: ['{"a":1}', 'line one\nline two'] };
    const text = encodeEntry(odd);
    assert.equal(text.includes('\n'), false);
    assert.deepEqual(decodeEntry(text), odd);
  });

  test('entries written in the first format (one JSON document) still decode', () => {
    assert.deepEqual(decodeEntry(JSON.stringify(json)), json);
    assert.deepEqual(decodeEntry(JSON.stringify(stream)), stream);
  });

  test('anything not shaped like an entry is a miss', () => {
    const head = (extra: object, rest: string) => `${JSON.stringify({ ...json, body: undefined, v: 2, ...extra })}\n${rest}`;
    const bad = [
      '', 'null', '{"v":2}', JSON.stringify({ ...json, body: 5 }), JSON.stringify({ ...json, usage: { inputTokens: 'x' } }),
      JSON.stringify({ ...stream, payloads: [1] }), JSON.stringify({ ...json, kind: 'other' }),
      'not json\n{}', 'null\n{}', head({ v: 1 }, '{}'), head({ v: 3 }, '{}'), head({ provider: 7 }, '{}'),
      head({ kind: 'stream', n: 3 }, 'a\nb'), head({ kind: 'stream' }, 'a'), head({ kind: 'other' }, '{}'),
    ];
    for (const text of bad) assert.equal(decodeEntry(text), undefined, text);
  });

  test('rendering: a stream replays its payloads and [DONE]; the in-process size tracks the answer', () => {
    const s = { ...stream, payloads: ['{"x":1}'] };
    assert.equal(ownBytes(hold(s, 100)).toString(), 'data: {"x":1}\n\ndata: [DONE]\n\n');
    assert.ok(Math.abs(textLengthOf(json) - encodeEntry(json).length) < 250);
    assert.ok(textLengthOf({ ...json, body: 'x'.repeat(10_000) }) > 10_000);
  });
});
