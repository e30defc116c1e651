// Property tests (B12, B10) for the request labels read from headers, above all the metadata JSON
// header: for any header text parseMetadata never throws and returns null or a plain map of at
// most 16 string values under keys of at most 64 characters — never `__proto__`, `constructor` or
// `prototype`, with Object.prototype untouched — equal to the first 16 usable entries; oversized
// headers are ignored. readLabels, for any headers and body, never throws, yields an operation
// label that matches its pattern or null, a user of at most 256 characters, and collectLog false
// only for an explicit "false". Seeded, bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { IncomingHttpHeaders } from 'node:http';
import { fuzzParams, loadCorpus } from '../../test/fuzz-corpus/corpus.js';
import { parseMetadata, readLabels } from './request-labels.js';

const PROTO_KEYS = Object.getOwnPropertyNames(Object.prototype).sort();
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** The documented rule, applied to what JSON.parse saw (its own keys, in its order). */
function expectedMetadata(raw: string): Record<string, string> | null {
  if (raw.length === 0 || raw.length > 8192) return null;
  let parsed: unknown;
  try { parsed = JSON.parse(raw); } catch { return null; }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const usable = Object.entries(parsed).filter(([k, v]) => !FORBIDDEN.has(k) && k.length <= 64 && ['string', 'number', 'boolean'].includes(typeof v)).slice(0, 16);
  return usable.length === 0 ? null : Object.fromEntries(usable.map(([k, v]) => [k, String(v)]));
}

function checkMetadata(raw: string): void {
  const m = parseMetadata(raw);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS, 'Object.prototype changed');
  const expected = expectedMetadata(raw);
  if (m === null) {
    assert.equal(expected, null);
    return;
  }
  assert.equal(Object.getPrototypeOf(m), Object.prototype);
  const keys = Object.getOwnPropertyNames(m);
  assert.ok(keys.length >= 1 && keys.length <= 16);
  for (const k of keys) {
    assert.ok(!FORBIDDEN.has(k) && k.length <= 64, `key ${k}`);
    assert.equal(typeof m[k], 'string');
  }
  assert.deepEqual(Object.entries(m), Object.entries(expected ?? {}));
}

const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'operation', 'user', 'toString', 'k'.repeat(65), '0', '1'), fc.string({ maxLength: 8 }));
const scalar = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 2 }));
const metadataJson = fc.array(fc.tuple(key, scalar), { maxLength: 24 }).map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`);
const headerText = fc.oneof(metadataJson, fc.json({ maxDepth: 2 }), fc.string({ maxLength: 40 }), fc.constant('{"a":"' + 'x'.repeat(8200) + '"}'));

const LABEL = /^[A-Za-z0-9_.:-]{1,64}$/;
const anyValue = fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('', ' false ', 'FALSE', 'no', 'op-1', 'bad label'), fc.array(fc.string({ maxLength: 10 }), { maxLength: 2 }));
const labelHeaders = fc.record({
  'x-tollgate-operation': anyValue, 'x-tollgate-user': anyValue, 'x-tollgate-metadata': fc.oneof(headerText, anyValue), 'cf-aig-metadata': headerText,
  'x-tollgate-collect-log': anyValue, 'cf-aig-collect-log': anyValue, 'x-tollgate-custom-cost': anyValue,
}, { requiredKeys: [] });
const body = fc.record({ user: fc.oneof(fc.string({ maxLength: 300 }), fc.integer(), fc.constant(null)) }, { requiredKeys: [] });

describe('request label properties', () => {
  test('metadata header: bounded, flat, no prototype keys, the first 16 usable entries', () => {
    fc.assert(fc.property(headerText, checkMetadata), fuzzParams(600));
  });

  test('readLabels on any headers: valid operation, bounded user, explicit opt-out only', () => {
    fc.assert(fc.property(labelHeaders, body, (h, b) => {
      const l = readLabels(h as IncomingHttpHeaders, b);
      assert.ok(l.operation === null || LABEL.test(l.operation), `operation ${l.operation}`);
      assert.ok(l.user === null || (typeof l.user === 'string' && l.user.length <= 256));
      const raw = [h['x-tollgate-collect-log'], h['cf-aig-collect-log']].map((v) => (Array.isArray(v) ? v[0] : v)).find((v) => v !== undefined && v !== '');
      assert.equal(l.collectLog, raw === undefined || raw.trim().toLowerCase() !== 'false');
      assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), PROTO_KEYS);
    }), fuzzParams(600));
  });
});

describe('metadata header seed corpus', () => {
  for (const raw of loadCorpus<string>('request-metadata')) {
    test(JSON.stringify(raw.length > 60 ? `${raw.slice(0, 60)}…` : raw), () => checkMetadata(raw));
  }
});
