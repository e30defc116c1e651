import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIRECTIVE_NAMES, DirectiveError, parseDirectiveList, splitModelSuffix, validateDirectives } from './directives.js';

test('header list: ints, text, flags without value, spaces and empty items', () => {
  const d = parseDirectiveList(' status=500 ; retryAfter=2;noDone;; errorCode=server_error', ';');
  assert.deepEqual(d, { status: 500, retryAfter: 2, noDone: true, errorCode: 'server_error' });
});

test('flags accept true/false/1/0 and nothing else', () => {
  assert.deepEqual(parseDirectiveList('crOnly=false;comments=1;hang=0;reset=true', ';'), {
    crOnly: false, comments: true, hang: false, reset: true,
  });
  assert.throws(() => parseDirectiveList('noUsage=yes', ';'), DirectiveError);
});

test('values are percent-decoded so they can carry separators', () => {
  assert.deepEqual(parseDirectiveList('content=a%3Bb%7Ec%20d', ';'), { content: 'a;b~c d' });
  assert.throws(() => parseDirectiveList('content=%E0%A4%A', ';'), /percent-encoding/);
});

test('unknown names, missing values and non-integers are errors', () => {
  assert.throws(() => parseDirectiveList('stauts=500', ';'), /unknown directive "stauts"/);
  assert.throws(() => parseDirectiveList('status', ';'), /needs a value/);
  assert.throws(() => parseDirectiveList('delayMs=1.5', ';'), /non-negative integer/);
  assert.throws(() => parseDirectiveList('chunks=-1', ';'), /non-negative integer/);
  assert.throws(() => parseDirectiveList('__proto__=1', ';'), /unknown directive/);
});

test('model suffix: name before the first ~, directives after', () => {
  assert.deepEqual(splitModelSuffix('gpt-4o-mini~status=503~retryAfter=1'), {
    model: 'gpt-4o-mini', directives: { status: 503, retryAfter: 1 },
  });
  assert.deepEqual(splitModelSuffix('@cf/meta/llama~chunks=2'), { model: '@cf/meta/llama', directives: { chunks: 2 } });
  assert.deepEqual(splitModelSuffix('plain'), { model: 'plain', directives: undefined });
  assert.deepEqual(splitModelSuffix('m~'), { model: 'm', directives: {} });
});

test('validateDirectives checks each type and rejects unknown keys', () => {
  assert.deepEqual(validateDirectives({ status: 429, noDone: true, content: 'x' }), { status: 429, noDone: true, content: 'x' });
  assert.deepEqual(validateDirectives({}), {});
  assert.throws(() => validateDirectives({ status: '429' }), /wrong type/);
  assert.throws(() => validateDirectives({ chunks: 2.5 }), /wrong type/);
  assert.throws(() => validateDirectives({ noDone: 1 }), /wrong type/);
  assert.throws(() => validateDirectives({ content: 5 }), /wrong type/);
  assert.throws(() => validateDirectives({ bogus: 1 }), /unknown directive/);
  assert.throws(() => validateDirectives([]), /must be an object/);
  assert.throws(() => validateDirectives(null), /must be an object/);
});

test('the directive set is the documented one', () => {
  assert.deepEqual([...DIRECTIVE_NAMES].sort(), [
    'cachedTokens', 'chunkDelayMs', 'chunks', 'comments', 'content', 'crOnly', 'cutAfter', 'delayMs', 'errorCode', 'errorMessage',
    'finishReason', 'hang', 'malformedAt', 'noDone', 'noUsage', 'reset', 'retryAfter', 'retryAfterMs', 'splitUtf8',
    'stallAfter', 'status', 'ttfbMs',
  ]);
});
