import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RANKS_FILE, loadTokenizer, readRanksFile } from './token-ranks.js';
import { estimateTokens, tokenizerSource } from './estimate.js';
import { decodeRanksFile, encodeRanksFile } from './compact-ranks.js';

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };
const CORPUS = [
  'Hello world, this is a test of the tokenizer.',
  '日本語のテキストと中文文本，还有한국어 텍스트.',
  'Emoji 🙂🚀👩‍👩‍👧 and symbols ∑∫√ ™ © ®',
  'function f(x) {\n\treturn x * 2; // double\n}\n\n\n    indented',
  'Zażółć gęślą jaźń — Ünïcödé façade naïve café',
  '<|endoftext|> counted as text, then ' + 'a'.repeat(300),
  'https://example.com/path?q=1&r=two#frag 12345678901234567890',
  'lone surrogates \uD800 and \uDFFF mid-word x\uD83Dy, then ​zero-width',
  'Ελληνικά, русский текст, עברית, العربية, हिन्दी, ไทย',
];
const requireHere = createRequire(import.meta.url);

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'tollgate-ranks-'));
}

test('the build wrote the rank table and estimates load from it', () => {
  assert.ok(readRanksFile() !== undefined, `missing or stale ${RANKS_FILE.pathname}: run npm run build`);
  assert.equal(estimateTokens('Hello world'), 2);
  assert.equal(tokenizerSource(), 'compact');
});

test('the compact table gives the same tokens as the package module, and decodes them back', () => {
  const compact = loadTokenizer();
  const fromModule = loadTokenizer(pathToFileURL(join(scratch(), 'absent.bin')));
  assert.equal(compact.source, 'compact');
  assert.equal(fromModule.source, 'module');
  for (const text of CORPUS) {
    const tokens = fromModule.encoding.encode(text, NO_SPECIAL);
    assert.deepEqual(compact.encoding.encode(text, NO_SPECIAL), tokens, text);
    assert.equal(compact.encoding.countTokens(text, NO_SPECIAL), tokens.length);
    assert.equal(compact.encoding.decode(tokens), fromModule.encoding.decode(tokens), text);
  }
});

test('a byte-order mark is its own token, which the package module cannot find', () => {
  // The package keeps the nine tokens that start with EF BB BF as byte arrays and looks bytes up
  // through a TextDecoder that drops a leading BOM, so it never finds them; the table does.
  const compact = loadTokenizer();
  assert.deepEqual(compact.encoding.encode('\uFEFF', NO_SPECIAL), [5574]);
  assert.equal(compact.encoding.decode([5574]), '\uFEFF');
});

test('every rank of the package maps to itself in the compact table', () => {
  const ranks = readRanksFile()!;
  const list = (requireHere('gpt-tokenizer/cjs/bpeRanks/o200k_base') as { default: (string | number[])[] }).default;
  assert.equal(ranks.size, list.length);
  list.forEach((token, rank) => {
    const bytes = typeof token === 'string' ? Buffer.from(token, 'utf8') : Uint8Array.from(token);
    if (ranks.rankOfBytes(bytes) !== rank) assert.fail(`rank ${rank} (${JSON.stringify(token)}) found as ${ranks.rankOfBytes(bytes)}`);
    if (typeof token === 'string' && ranks.rankOfString(token) !== rank) assert.fail(`rank ${rank} by string`);
  });
  assert.equal(ranks.rankOfBytes(Buffer.from('no such token, surely')), undefined);
  assert.equal(ranks.rankOfString('\uD800'), undefined);
  assert.equal(ranks.tokenBytes(list.length), undefined);
});

test('the file format round-trips, keeps holes empty and refuses truncation', () => {
  const file = encodeRanksFile({ library: 'x', version: '1', encoding: 'y' }, ['ab', [0xff, 0xfe], undefined, 'é']);
  const decoded = decodeRanksFile(file)!;
  assert.deepEqual(decoded.header, { library: 'x', version: '1', encoding: 'y' });
  assert.equal(decoded.ranks.size, 4);
  assert.equal(decoded.ranks.rankOfString('ab'), 0);
  assert.equal(decoded.ranks.rankOfBytes(Uint8Array.from([0xff, 0xfe])), 1);
  assert.equal(decoded.ranks.tokenBytes(2), undefined);
  assert.equal(decoded.ranks.rankOfString('é'), 3);
  assert.equal(decoded.ranks.rankOfBytes(Uint8Array.from([0x00])), undefined);
  for (const cut of [0, 7, 12, file.length - 1]) assert.equal(decodeRanksFile(file.subarray(0, cut)), undefined, `cut at ${cut}`);
});

test('a garbage, foreign or stale table is ignored for the package module', () => {
  const dir = scratch();
  const file = (name: string, bytes: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return pathToFileURL(path);
  };
  const version = (requireHere('gpt-tokenizer/package.json') as { version: string }).version;
  const real = { library: 'gpt-tokenizer', version, encoding: 'o200k_base' };
  const tiny = ['a', 'b'];
  const cases = {
    garbage: file('garbage.bin', '{"ranks": [1, 2'),
    truncated: file('truncated.bin', readFileSync(RANKS_FILE).subarray(0, 5000)),
    stale: file('stale.bin', encodeRanksFile({ ...real, version: '0.0.1' }, tiny)),
    foreign: file('foreign.bin', encodeRanksFile({ ...real, encoding: 'cl100k_base' }, tiny)),
    otherLibrary: file('other.bin', encodeRanksFile({ ...real, library: 'js-tiktoken' }, tiny)),
  };
  for (const [name, url] of Object.entries(cases)) {
    assert.equal(readRanksFile(url), undefined, name);
    const loaded = loadTokenizer(url);
    assert.equal(loaded.source, 'module', name);
    assert.equal(loaded.encoding.countTokens('Hello world', NO_SPECIAL), 2, name);
  }
});
