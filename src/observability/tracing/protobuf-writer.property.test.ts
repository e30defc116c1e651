/**
 * The protobuf writer's exact encodings (protobuf-writer.ts), against BigInt arithmetic: span
 * times as fixed64 nanoseconds across second boundaries and the carry out of the low 32 bits
 * (the writer works a second's part out once and adds nanoseconds to it), and varints.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../../test/fuzz-corpus/corpus.js';
import { Writer } from './protobuf-writer.js';

function expectedTime(seconds: number, nanos: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(seconds) * 1_000_000_000n + BigInt(nanos));
  return b;
}

test('time(): fixed64 nanoseconds equal to BigInt arithmetic, in any order of seconds', () => {
  const seconds = fc.oneof(fc.integer({ min: 0, max: 2 ** 34 }), fc.constantFrom(0, 1, 4294967295, 4294967296, 1_764_000_000));
  const nanos = fc.oneof(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(0, 999_999_999));
  fc.assert(fc.property(fc.array(fc.tuple(seconds, nanos), { minLength: 1, maxLength: 8 }), (times) => {
    const w = new Writer();
    for (const [s, n] of times) w.time([s, n]);
    const want = Buffer.concat(times.map(([s, n]) => expectedTime(s, n)));
    assert.deepEqual(Buffer.from(w.buf.subarray(0, w.pos)), want);
  }), fuzzParams(2000));
});

test('time(): the low word carries into the high word within one second', () => {
  // 4 s × 10^9 = 0xEE6B2800 fits the low word; from 2^32 - 4×10^9 = 294,967,296 ns on, it carries.
  const nanos = [0, 294_967_295, 294_967_296, 999_999_999];
  const w = new Writer();
  for (const n of nanos) w.time([4, n]);
  const want = Buffer.concat(nanos.map((n) => expectedTime(4, n)));
  assert.equal(want.readUInt32LE(4 * 8 - 4), 1, 'the last time does carry');
  assert.deepEqual(Buffer.from(w.buf.subarray(0, w.pos)), want);
});
