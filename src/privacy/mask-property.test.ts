import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maskText } from './mask-text.js';
import { TEXT_CANARIES, findLeaks, type Canary } from './canaries.js';

/** Small deterministic generator (xorshift32), so a failure reproduces from its seed. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const WORDS = ['the', 'invoice', 'model', 'Résumé', 'gateway', 'cache', 'token', 'budget', 'stream', 'naïve', '数据', 'ok', 'TTL', 'v2', 'id', 'x'];
const PUNCT = [' ', ' ', ' ', ', ', '. ', '\n', '\t', ' - ', ': ', ' (', ') ', ' "', '" ', ' = ', '; '];
const SEPARATORS = [' ', '\n', '\t', ' "', '" ', ': ', '=', '(', ', ', ' <', '> ', '[', ' \''];

type Encode = (s: string) => string;
const ENCODINGS: Record<string, Encode> = {
  plain: (s) => s,
  json: (s) => JSON.stringify(s),
  url: (s) => encodeURIComponent(s),
  jsonThenUrl: (s) => encodeURIComponent(JSON.stringify({ text: s })),
};

function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Random prose of words, punctuation and short numbers (which alone never form PII). */
function filler(rand: () => number, words: number): string {
  let out = '';
  for (let i = 0; i < words; i++) {
    out += rand() < 0.15 ? String(Math.floor(rand() * 1000)) : pick(rand, WORDS);
    out += pick(rand, PUNCT);
  }
  return out;
}

function document(rand: () => number, planted: Canary[]): string {
  let out = filler(rand, 5 + Math.floor(rand() * 20));
  for (const canary of planted) {
    out += pick(rand, SEPARATORS) + canary.value + pick(rand, SEPARATORS);
    out += filler(rand, Math.floor(rand() * 15));
  }
  return out;
}

test('canaries planted at random positions in random text never survive masking', () => {
  const rand = prng(0x5eed_1234);
  for (let round = 0; round < 400; round++) {
    const planted = Array.from({ length: 1 + Math.floor(rand() * 4) }, () => pick(rand, TEXT_CANARIES));
    const encodingName = pick(rand, Object.keys(ENCODINGS));
    const text = ENCODINGS[encodingName](document(rand, planted));
    const leaks = findLeaks(maskText(text), planted);
    assert.deepEqual(leaks, [], `round ${round} (${encodingName}): ${text}`);
  }
});

test('random text without canaries is left exactly as it was', () => {
  const rand = prng(0xc0ffee);
  for (let round = 0; round < 300; round++) {
    const encodingName = pick(rand, Object.keys(ENCODINGS));
    const text = ENCODINGS[encodingName](filler(rand, 40));
    assert.equal(maskText(text), text, `round ${round} (${encodingName})`);
  }
});
