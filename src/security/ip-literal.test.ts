import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatIp, parseIpLiteral } from './ip-literal.js';

const text = (host: string): string | undefined => {
  const ip = parseIpLiteral(host);
  return ip && formatIp(ip);
};

test('every spelling of the IPv4 loopback reads as 127.0.0.1', () => {
  for (const s of ['127.0.0.1', '2130706433', '0x7f000001', '0X7F000001', '0177.0.0.1', '0177.0.0.01', '0x7f.0.0.1', '127.1', '127.0.1', '127.000.000.001', '127.0.0.1.', '[::ffff:127.0.0.1]', '::ffff:7f00:1', '[::FFFF:7F00:1]', '0:0:0:0:0:ffff:7f00:1']) {
    assert.equal(text(s), '127.0.0.1', s);
  }
});

test('metadata and link-local addresses in other spellings', () => {
  assert.equal(text('2852039166'), '169.254.169.254');
  assert.equal(text('0xa9fea9fe'), '169.254.169.254');
  assert.equal(text('0251.0376.0251.0376'), '169.254.169.254');
  assert.equal(text('169.254.43518'), '169.254.169.254');
  assert.equal(text('::ffff:169.254.169.254'), '169.254.169.254');
  assert.equal(text('[FD00:EC2::254]'), 'fd00:ec2:0:0:0:0:0:254');
  assert.equal(text('fe80::1%eth0'), 'fe80:0:0:0:0:0:0:1');
  assert.equal(text('[::1]'), '0:0:0:0:0:0:0:1');
  assert.equal(text('0'), '0.0.0.0');
});

test('names and malformed literals are not addresses', () => {
  for (const s of ['localhost', 'example.com', 'vllm.internal', '256.0.0.1', '1.2.3.4.5', '0x1g', '08.0.0.1', '1.2.3.4294967296', '::ffff::1::', '', '[]', 'fe80::zz']) {
    assert.equal(parseIpLiteral(s), undefined, s);
  }
});

test('property: agrees with the WHATWG URL parser on IPv4 hosts in any radix and part count', () => {
  const radixPart = (n: number) => fc.constantFrom(n.toString(10), `0x${n.toString(16)}`, `0X${n.toString(16).toUpperCase()}`, `0${n.toString(8)}`);
  const spelled = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 1, max: 4 })).chain(([value, count]) => {
    const bytes = [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
    const head = bytes.slice(0, count - 1);
    const rest = bytes.slice(count - 1).reduce((acc, b) => acc * 256 + b, 0);
    return fc.tuple(...[...head, rest].map(radixPart), fc.boolean()).map((parts) => {
      const dot = parts.pop() as boolean;
      return (parts as string[]).join('.') + (dot ? '.' : '');
    });
  });
  fc.assert(fc.property(spelled, (host) => {
    assert.equal(text(host), new URL(`http://${host}/`).hostname, host);
  }), { seed: 20261123, numRuns: 500 });
});

test('property: IPv4-mapped IPv6 always unmaps to the IPv4 address', () => {
  fc.assert(fc.property(fc.ipV4(), fc.boolean(), (v4, hexForm) => {
    const b = v4.split('.').map(Number);
    const host = hexForm ? `::ffff:${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}` : `::ffff:${v4}`;
    assert.equal(text(`[${host}]`), v4);
  }), { seed: 20261123, numRuns: 300 });
});

test('property: IPv6 round-trips through node:net canonical form', () => {
  fc.assert(fc.property(fc.ipV6(), (v6) => {
    const ip = parseIpLiteral(v6);
    assert.ok(ip, v6);
    if (ip.family === 6) assert.equal(new URL(`http://[${formatIp(ip)}]/`).hostname, new URL(`http://[${v6}]/`).hostname);
  }), { seed: 20261123, numRuns: 300 });
});
