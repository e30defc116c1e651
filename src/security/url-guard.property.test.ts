// B12 for the URL guard: `checkOutboundUrl` against a committed seed corpus of address
// spellings (test/fuzz-corpus/url-guard.json, each with its verdict under the operator default
// and the strict policy), and a property over arbitrary text and URL-shaped strings: the guard
// either returns an http(s) URL or throws TargetForbiddenError, never anything else, and never
// lets a literal metadata or link-local address through under either policy.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams, loadCorpus } from '../../test/fuzz-corpus/corpus.js';
import { checkOutboundUrl, OPERATOR_POLICY, STRICT_POLICY, TargetForbiddenError, type AddressPolicy } from './address-policy.js';
import { classifyAddress } from './address-ranges.js';
import { parseIpLiteral } from './ip-literal.js';

interface Entry {
  url: string;
  operator: 'allow' | 'refuse';
  strict: 'allow' | 'refuse';
}

function verdict(url: string, policy: AddressPolicy): 'allow' | 'refuse' {
  try {
    const u = checkOutboundUrl(url, policy);
    assert.ok(u.protocol === 'http:' || u.protocol === 'https:', `${url} allowed with scheme ${u.protocol}`);
    return 'allow';
  } catch (err) {
    assert.ok(err instanceof TargetForbiddenError, `${JSON.stringify(url)} threw ${String(err)}`);
    return 'refuse';
  }
}

describe('URL guard seed corpus', () => {
  const corpus = loadCorpus<Entry>('url-guard');
  test('the corpus holds every kind of spelling', () => {
    assert.ok(corpus.length >= 40);
    assert.ok(corpus.some((e) => e.operator === 'refuse' && e.strict === 'refuse'));
    assert.ok(corpus.some((e) => e.operator === 'allow' && e.strict === 'refuse'));
    assert.ok(corpus.some((e) => e.operator === 'allow' && e.strict === 'allow'));
  });
  test('every entry gets its verdict under both policies', () => {
    const wrong = corpus.flatMap((e) => [
      verdict(e.url, OPERATOR_POLICY) === e.operator ? [] : [`operator ${e.operator}s ${JSON.stringify(e.url)}`],
      verdict(e.url, STRICT_POLICY) === e.strict ? [] : [`strict ${e.strict}s ${JSON.stringify(e.url)}`],
    ].flat());
    assert.deepEqual(wrong, []);
  });
});

const hosts = fc.oneof(
  fc.ipV4(), fc.ipV4Extended(), fc.ipV6().map((v6) => `[${v6}]`), fc.domain(),
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.boolean()).map(([n, hex]) => (hex ? `0x${n.toString(16)}` : String(n))),
  fc.string({ maxLength: 30 }),
);
const urls = fc.oneof(
  fc.tuple(fc.constantFrom('http', 'https', 'HTTP', 'file', 'gopher', 'ftp', 'ws', 'data', 'javascript', ''), fc.constantFrom('://', ':', ':///'), hosts, fc.string({ maxLength: 20 }))
    .map(([scheme, sep, host, rest]) => `${scheme}${sep}${host}${rest}`),
  fc.webUrl(),
  fc.string({ maxLength: 60 }),
);

test('property: only http(s) URLs or TargetForbiddenError; never a literal metadata or link-local address', () => {
  fc.assert(fc.property(urls, (url) => {
    for (const policy of [OPERATOR_POLICY, STRICT_POLICY]) {
      if (verdict(url, policy) === 'refuse') continue;
      const ip = parseIpLiteral(new URL(url).hostname);
      if (ip) assert.ok(!['metadata', 'link-local', 'reserved'].includes(classifyAddress(ip)), `${url} passed`);
    }
  }), fuzzParams(2_000));
});
