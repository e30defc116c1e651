import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkOutboundUrl, compileAddressPolicy, OPERATOR_POLICY, refusalReason, STRICT_POLICY, TargetForbiddenError } from './address-policy.js';
import { classifyAddress } from './address-ranges.js';
import { parseIpLiteral } from './ip-literal.js';

const cls = (s: string) => classifyAddress(parseIpLiteral(s)!);
const refused = (policy = OPERATOR_POLICY, host: string, addr = host) => refusalReason(policy, host, parseIpLiteral(addr)!) !== undefined;

test('classes of well-known addresses', () => {
  assert.equal(cls('169.254.169.254'), 'metadata');
  assert.equal(cls('fd00:ec2::254'), 'metadata');
  assert.equal(cls('100.100.100.200'), 'metadata');
  assert.equal(cls('169.254.1.1'), 'link-local');
  assert.equal(cls('fe80::1'), 'link-local');
  assert.equal(cls('127.0.0.1'), 'loopback');
  assert.equal(cls('::1'), 'loopback');
  assert.equal(cls('10.1.2.3'), 'private');
  assert.equal(cls('172.31.0.1'), 'private');
  assert.equal(cls('192.168.1.1'), 'private');
  assert.equal(cls('fd12::1'), 'private');
  assert.equal(cls('0.0.0.0'), 'reserved');
  assert.equal(cls('::'), 'reserved');
  assert.equal(cls('64:ff9b::a9fe:a9fe'), 'metadata'); // NAT64 carrying 169.254.169.254
  assert.equal(cls('2002:7f00:1::'), 'loopback'); // 6to4 carrying 127.0.0.1
  assert.equal(cls('8.8.8.8'), 'public');
  assert.equal(cls('2606:4700::1111'), 'public');
  assert.equal(cls('172.32.0.1'), 'public');
});

test('operator default: loopback and private pass, metadata and link-local never', () => {
  for (const a of ['127.0.0.1', '::1', '10.0.0.5', '192.168.0.10', 'fd12::1', '8.8.8.8']) assert.equal(refused(OPERATOR_POLICY, a), false, a);
  for (const a of ['169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254', '100.100.100.200', '0.0.0.0', '::ffff:169.254.169.254']) assert.equal(refused(OPERATOR_POLICY, a), true, a);
});

test('strict policy refuses loopback in every spelling but lets public through', () => {
  for (const s of ['127.0.0.1', '2130706433', '0x7f000001', '0177.0.0.1', '127.1', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', '[::1]', '10.0.0.1', '[fe80::1]', '[::]', '0']) {
    assert.throws(() => checkOutboundUrl(`http://${s}/v1`, STRICT_POLICY), TargetForbiddenError, s);
  }
  assert.equal(checkOutboundUrl('https://8.8.8.8/', STRICT_POLICY).hostname, '8.8.8.8');
  // Names pass the literal check; connect time judges what they resolve to.
  assert.equal(checkOutboundUrl('https://LOCALHOST./', STRICT_POLICY).hostname, 'localhost.');
});

test('non-http schemes and garbage are refused', () => {
  for (const u of ['file:///etc/passwd', 'gopher://127.0.0.1:70/', 'ftp://example.com/', 'data:text/plain,x', 'not a url']) {
    assert.throws(() => checkOutboundUrl(u, OPERATOR_POLICY), TargetForbiddenError, u);
  }
});

test('the allowlist admits hosts by name (any case, trailing dot), address or CIDR', () => {
  const p = compileAddressPolicy({ privateNetworks: 'allowlist', allowPrivateHosts: ['vllm.internal', '127.0.0.1', '10.8.0.0/16', '169.254.10.5', 'fd00::/8'] });
  assert.equal(refused(p, 'VLLM.Internal.', '10.0.0.9'), false);
  assert.equal(refused(p, 'other.internal', '10.0.0.9'), true);
  assert.equal(refused(p, 'x', '10.8.200.1'), false);
  assert.equal(refused(p, '127.0.0.1'), false);
  assert.equal(refused(p, '127.0.0.2'), true);
  assert.equal(refused(p, '169.254.10.5'), false); // explicitly allowed link-local
  assert.equal(refused(p, '169.254.169.254'), true);
  assert.equal(refused(p, 'fd00:ec2::254'), false); // inside an allowed CIDR: the operator's word
  assert.equal(refused(p, 'a', '8.8.8.8'), false);
});

test('property: no spelling of a 169.254/16 address passes the operator policy', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.constantFrom('dec', 'hex', 'mapped', 'short'), (low, form) => {
    const value = (0xa9fe0000 + low) >>> 0;
    const dotted = `169.254.${low >> 8}.${low & 255}`;
    const host = form === 'dec' ? String(value) : form === 'hex' ? `0x${value.toString(16)}` : form === 'mapped' ? `[::ffff:${dotted}]` : `169.254.${low}`;
    assert.throws(() => checkOutboundUrl(`http://${host}:8080/`, OPERATOR_POLICY), TargetForbiddenError, host);
  }), { seed: 20261123, numRuns: 300 });
});

test('the security config section validates allowlist entries', async () => {
  const { securityConfigSchema } = await import('./security-config.js');
  assert.deepEqual(securityConfigSchema.parse({}), { privateNetworks: 'allow', allowPrivateHosts: [] });
  assert.equal(securityConfigSchema.safeParse({ allowPrivateHosts: ['vllm.internal', '10.0.0.0/8', '::1', 'fd00::/8', 'LOCALHOST.'] }).success, true);
  for (const bad of ['10.0.0.0/33', 'http://x', 'a b', '', 'host/8']) {
    assert.equal(securityConfigSchema.safeParse({ allowPrivateHosts: [bad] }).success, false, bad);
  }
  assert.equal(securityConfigSchema.safeParse({ privateNetworks: 'deny' }).success, false);
});
