import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { clientIp, peerList } from './peer-list.js';

const req = (remote: string, xff?: string): IncomingMessage =>
  ({ socket: { remoteAddress: remote }, headers: xff === undefined ? {} : { 'x-forwarded-for': xff } }) as unknown as IncomingMessage;

test('addresses and CIDRs match, IPv4-mapped IPv6 as IPv4; garbage is refused', () => {
  const l = peerList(['10.0.0.0/8', '192.168.1.7', '::1']);
  assert.equal(l.has('10.2.3.4'), true);
  assert.equal(l.has('::ffff:10.2.3.4'), true);
  assert.equal(l.has('192.168.1.7'), true);
  assert.equal(l.has('192.168.1.8'), false);
  assert.equal(l.has('::1'), true);
  assert.equal(l.has(undefined), false);
  assert.throws(() => peerList(['example.com']));
  assert.throws(() => peerList(['10.0.0.0/33']));
});

test('S9: X-Forwarded-For is ignored unless the socket peer is a trusted proxy', () => {
  const none = peerList([]);
  assert.equal(clientIp(req('203.0.113.9', '1.2.3.4'), none), '203.0.113.9');
  const proxies = peerList(['127.0.0.1']);
  assert.equal(clientIp(req('203.0.113.9', '1.2.3.4'), proxies), '203.0.113.9', 'untrusted peer: header ignored');
  assert.equal(clientIp(req('127.0.0.1', '1.2.3.4'), proxies), '1.2.3.4');
  // The client can prepend anything; only the hop the proxy appended counts.
  assert.equal(clientIp(req('::ffff:127.0.0.1', '6.6.6.6, 1.2.3.4'), proxies), '1.2.3.4');
  assert.equal(clientIp(req('127.0.0.1', '6.6.6.6, 1.2.3.4, 127.0.0.1'), proxies), '1.2.3.4');
  assert.equal(clientIp(req('127.0.0.1', 'not-an-ip'), proxies), '127.0.0.1', 'a malformed hop is not believed');
  assert.equal(clientIp(req('127.0.0.1'), proxies), '127.0.0.1');
});
