import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheKey, canonicalBody, modelKey, scopeTag, tenantTag, type KeyInput } from './cache-key.js';

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

  test('canonical body and route model keys', () => {
    assert.equal(canonicalBody({ b: 1, a: [2, { z: 1, y: 2 }], stream: true, u: undefined }), '{"a":[2,{"z":1,"y":2}],"b":1}');
    const t = [{ id: 'p/m2', params: undefined }, { id: 'p/m1', params: { max_tokens: 5 } }];
    assert.equal(modelKey('p/m', t, false), 'p/m');
    assert.equal(modelKey('smart', t, true), modelKey('smart', [...t].reverse(), true));
    assert.notEqual(modelKey('smart', t, true), modelKey('smart', [t[0]], true));
  });
});
