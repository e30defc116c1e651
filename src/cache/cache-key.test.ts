import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../test/fuzz-corpus/corpus.js';
import { cacheKey, canonicalBody, EXCLUDED_FIELDS, modelKey, scopeTag, tenantTag, type KeyInput } from './cache-key.js';

const base: KeyInput = {
  scope: { kind: 'tenant', tenant: 'acme', user: null },
  endpoint: 'chat',
  model: 'openai/gpt-4o',
  body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 },
  customKey: undefined,
};

describe('cache keys', () => {
  test('top-level order and excluded fields do not change the key', () => {
    const k = cacheKey(base);
    assert.equal(cacheKey({ ...base, body: { temperature: 0, messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true }, user: 'u', store: true, metadata: { a: 1 } } }), k);
    assert.match(k, /^t[0-9a-f]{16}:[0-9a-f]{64}$/);
  });

  test('every other field, nested order, endpoint, model and scope do', () => {
    const k = cacheKey(base);
    const variants: KeyInput[] = [
      { ...base, body: { ...base.body, temperature: 0.1 } },
      { ...base, body: { ...base.body, seed: 1 } },
      { ...base, body: { ...base.body, messages: [{ content: 'hi', role: 'user' }] } },
      { ...base, endpoint: 'completions' },
      { ...base, model: 'openai/gpt-4o-mini' },
      { ...base, scope: { kind: 'tenant', tenant: 'acme2', user: null } },
      { ...base, scope: { kind: 'tenant', tenant: null, user: null } },
      { ...base, scope: { kind: 'tenant', tenant: 'null', user: null } },
      { ...base, scope: { kind: 'global', tenant: 'acme', user: null } },
      { ...base, scope: { kind: 'user', tenant: 'acme', user: 'u1' } },
      { ...base, customKey: 'k' },
    ];
    const keys = new Set([k, ...variants.map(cacheKey)]);
    assert.equal(keys.size, variants.length + 1);
  });

  test('keys are stable across releases (an upgrade does not turn every stored answer into a miss)', () => {
    const b: KeyInput = { ...base, body: { model: 'openai/gpt-4o', messages: [{ role: 'user', content: 'hi "q" \u00e9' }], temperature: 0 } };
    assert.equal(cacheKey(b), 'tf03fbdc15f21d44b:9ad9da61939016aef35e53d8b63b663b9883eb8ed02578dfd952ac972370b949');
    assert.equal(cacheKey({ ...b, scope: { kind: 'user', tenant: null, user: 'u"1' } }), 'ta92c5f0a899f39e1:63a966b71a95d86b10e68e22f0b9e180da99c929b3676fb1247f8b61e2af4c7f');
    assert.equal(cacheKey({ ...b, scope: { kind: 'global', tenant: null, user: null }, customKey: 'k\n' }), 'g:c0f6398ed657330c7c6f030a49462846628b60975ea755fc3af45bbbda8f1d14');
  });

  test('tuples that concatenate alike stay apart', () => {
    const a = cacheKey({ ...base, scope: { kind: 'user', tenant: 'a:b', user: 'c' } });
    const b = cacheKey({ ...base, scope: { kind: 'user', tenant: 'a', user: 'b:c' } });
    assert.notEqual(a, b);
    assert.notEqual(cacheKey({ ...base, customKey: 'x', endpoint: 'chat' }), cacheKey({ ...base, customKey: 'x', endpoint: 'embeddings' }));
  });

  test('custom keys ignore the body but not the scope', () => {
    const one = cacheKey({ ...base, customKey: 'k1' });
    assert.equal(cacheKey({ ...base, customKey: 'k1', body: { other: true } }), one);
    assert.notEqual(cacheKey({ ...base, customKey: 'k1', scope: { kind: 'tenant', tenant: 'globex', user: null } }), one);
  });

  test('scope tags: one per tenant, user scope shares its tenant\'s tag, global is g', () => {
    assert.equal(scopeTag({ kind: 'global', tenant: 'x', user: null }), 'g');
    assert.equal(scopeTag({ kind: 'user', tenant: 'acme', user: 'u' }), tenantTag('acme'));
    assert.notEqual(tenantTag(null), tenantTag('null'));
  });

  test('the canonical body is the same text for every body a client can send (keys stay stable across releases)', () => {
    // The text keys were made of before the body was serialized in one call: key by key.
    const byKey = (body: Record<string, unknown>): string => {
      const keys = Object.keys(body).filter((k) => !EXCLUDED_FIELDS.has(k) && body[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(body[k])}`).join(',')}}`;
    };
    const key = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('messages', 'model', 'stream', '10', '9', '0', '1a', '-1', '__proto__', 'toJSON', 'constructor'));
    const body = fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 8 }).map((d) => JSON.parse(JSON.stringify(d)) as Record<string, unknown>);
    fc.assert(fc.property(body, (b) => assert.equal(canonicalBody(b), byKey(b))), fuzzParams(1000));
    const parsed = JSON.parse('{"__proto__":{"x":1},"10":2,"9":3,"b":4,"model":"m"}') as Record<string, unknown>;
    assert.equal(canonicalBody(parsed), '{"10":2,"9":3,"__proto__":{"x":1},"b":4}');
  });

  test('canonical body and route model keys', () => {
    assert.equal(canonicalBody({ b: 1, a: [2, { z: 1, y: 2 }], stream: true, u: undefined }), '{"a":[2,{"z":1,"y":2}],"b":1}');
    const t = [{ id: 'p/m2', params: undefined }, { id: 'p/m1', params: { max_tokens: 5 } }];
    assert.equal(modelKey('p/m', t, false), 'p/m');
    assert.equal(modelKey('smart', t, true), modelKey('smart', [...t].reverse(), true));
    assert.notEqual(modelKey('smart', t, true), modelKey('smart', [t[0]], true));
  });
});
