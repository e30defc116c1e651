import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashKey, KEY_PREFIX, keyHint, mintKey, presentedKey, sameDigest, sameHexDigest } from './api-key.js';

test('minted keys are prefixed, long and distinct; hints show only the start', () => {
  const a = mintKey();
  const b = mintKey();
  assert.ok(a.startsWith(KEY_PREFIX));
  assert.ok(a.length >= 40);
  assert.notEqual(a, b);
  assert.equal(keyHint(a), `${a.slice(0, 7)}…`);
});

test('S3: digests compare equal only for the same key, any length difference is just "different"', () => {
  const k = mintKey();
  assert.equal(sameDigest(hashKey(k), hashKey(k)), true);
  assert.equal(sameDigest(hashKey(k), hashKey(k.toUpperCase())), false);
  assert.equal(sameDigest(hashKey(k), hashKey(`${k}x`)), false);
  assert.equal(sameDigest(hashKey(k), Buffer.alloc(3)), false, 'a wrong-length buffer is refused, not thrown');
  const hex = hashKey(k).toString('hex');
  assert.equal(sameHexDigest(hex, hashKey(k).toString('hex')), true);
  assert.equal(sameHexDigest(hex, hashKey(`${k}x`).toString('hex')), false);
  assert.equal(sameHexDigest(hex, `${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`), false, 'the last character counts');
  assert.equal(sameHexDigest(hex, hex.slice(1)), false);
});

test('the presented key: cf-aig-authorization wins, Authorization only outside pass-through, blanks trimmed', () => {
  assert.equal(presentedKey({ authorization: 'Bearer  tg-abc  ' }, false), 'tg-abc');
  assert.equal(presentedKey({ authorization: 'bearer tg-abc' }, false), 'tg-abc');
  assert.equal(presentedKey({ authorization: 'Bearer sk-provider', 'cf-aig-authorization': 'Bearer tg-abc' }, true), 'tg-abc');
  assert.equal(presentedKey({ 'cf-aig-authorization': ' tg-abc ' }, false), 'tg-abc');
  assert.equal(presentedKey({ authorization: 'Bearer sk-provider' }, true), undefined);
  assert.equal(presentedKey({}, false), undefined);
});

test('the hex one-shot digest equals the Hash-object digest', async () => {
  const { hashKeyHex } = await import('./api-key.js');
  const k = mintKey();
  assert.equal(hashKeyHex(k), hashKey(k).toString('hex'));
});
