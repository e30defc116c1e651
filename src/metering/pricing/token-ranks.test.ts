import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { RANKS_FILE, loadTokenizer, readRanksFile } from './token-ranks.js';
import { estimateTokens, tokenizerSource } from './estimate.js';

const NO_SPECIAL = { disallowedSpecial: new Set<string>() };
const CORPUS = [
  'Hello world, this is a test of the tokenizer.',
  '日本語のテキストと中文文本，还有한국어 텍스트.',
  'Emoji 🙂🚀👩‍👩‍👧 and symbols ∑∫√ ™ © ®',
  'function f(x) {\n\treturn x * 2; // double\n}\n\n\n    indented',
  'Zażółć gęślą jaźń — Ünïcödé façade naïve café',
  '<|endoftext|> counted as text, then ' + 'a'.repeat(300),
  'https://example.com/path?q=1&r=two#frag 12345678901234567890',
];

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'tollgate-ranks-'));
}

test('the build wrote the rank table and estimates load from it', () => {
  assert.ok(readRanksFile() !== undefined, `missing or stale ${RANKS_FILE.pathname}: run npm run build`);
  assert.equal(estimateTokens('Hello world'), 2);
  assert.equal(tokenizerSource(), 'json');
});

test('counts from the JSON table equal counts from the package module', () => {
  const fromJson = loadTokenizer();
  const fromModule = loadTokenizer(pathToFileURL(join(scratch(), 'absent.json')));
  assert.equal(fromJson.source, 'json');
  assert.equal(fromModule.source, 'module');
  for (const text of CORPUS) {
    assert.deepEqual(fromJson.encoding.encode(text, NO_SPECIAL), fromModule.encoding.encode(text, NO_SPECIAL), text);
    assert.equal(fromJson.encoding.countTokens(text, NO_SPECIAL), fromModule.encoding.countTokens(text, NO_SPECIAL));
  }
});

test('a garbage, foreign or stale table is ignored for the package module', () => {
  const dir = scratch();
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return pathToFileURL(path);
  };
  const real = JSON.parse(readFileSync(RANKS_FILE, 'utf8')) as Record<string, unknown>;
  const cases = {
    garbage: file('garbage.json', '{"ranks": [1, 2'),
    stale: file('stale.json', JSON.stringify({ ...real, version: '0.0.1' })),
    foreign: file('foreign.json', JSON.stringify({ ...real, encoding: 'cl100k_base' })),
    shapeless: file('shapeless.json', JSON.stringify({ ...real, ranks: 'nope' })),
  };
  for (const [name, url] of Object.entries(cases)) {
    assert.equal(readRanksFile(url), undefined, name);
    const loaded = loadTokenizer(url);
    assert.equal(loaded.source, 'module', name);
    assert.equal(loaded.encoding.countTokens('Hello world', NO_SPECIAL), 2, name);
  }
});
