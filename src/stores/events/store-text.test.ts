import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REPLACEMENT_CHARACTER as R, storeSafeText } from './store-text.js';

test('leaves well-formed text alone, including astral characters', () => {
  for (const s of ['', 'gpt-4o', 'héllo wörld', 'emoji \u{1F600} ok', '\uFFFD already']) {
    assert.equal(storeSafeText(s), s);
  }
});

test('replaces NUL wherever it appears', () => {
  assert.equal(storeSafeText('\u0000a\u0000b\u0000'), `${R}a${R}b${R}`);
});

test('replaces lone high and low surrogates but keeps valid pairs', () => {
  assert.equal(storeSafeText('a\uD800b'), `a${R}b`);
  assert.equal(storeSafeText('a\uDC00b'), `a${R}b`);
  assert.equal(storeSafeText('end\uD83D'), `end${R}`);
  assert.equal(storeSafeText('\uDE00\uD83D\uDE00\uD83D'), `${R}\u{1F600}${R}`);
});

test('the result always encodes to UTF-8 and back unchanged', () => {
  const nasty = '\u0000\uD800\uDFFF\uDBFF\uDFFFx\uDC00\uD800';
  const safe = storeSafeText(nasty);
  assert.equal(Buffer.from(safe, 'utf8').toString('utf8'), safe);
  assert.ok(!safe.includes('\u0000'));
});
