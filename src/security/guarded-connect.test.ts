import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortSwitch } from '../upstream/abort-switch.js';
import { closeUpstreamAgents, sendUpstream, type UpstreamCall } from '../upstream/upstream-client.js';
import { GatewayError } from '../errors/gateway-error.js';
import { compileAddressPolicy, OPERATOR_POLICY, TargetForbiddenError } from './address-policy.js';
import { guardedLookup, useResolverForTests } from './guarded-connect.js';

const NAMES: Record<string, string[]> = {
  'plain.test': ['127.0.0.1'],
  'imds.test': ['169.254.169.254'],
  'mixed.test': ['127.0.0.1', '169.254.169.254'],
  'ula-imds.test': ['fd00:ec2::254'],
};
useResolverForTests((name, _opts, cb) => {
  const list = NAMES[name];
  if (!list) return cb(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }), []);
  cb(null, list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
});

let hits = 0;
let redirectTargetHits = 0;
function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.address() as AddressInfo).port })));
}
const target = await listen((_req, res) => { redirectTargetHits++; res.end('elsewhere'); });
const origin = await listen((req, res) => {
  hits++;
  if (req.url === '/redirect') res.writeHead(302, { location: `http://127.0.0.1:${target.port}/` }).end();
  else res.end('ok');
});
after(async () => {
  useResolverForTests(undefined);
  await closeUpstreamAgents();
  origin.server.close();
  target.server.close();
});

const call = (): UpstreamCall => ({ abort: new AbortSwitch(), timeouts: { connectMs: 1000, firstByteMs: 2000, idleMs: 2000 } });
const get = (host: string, path = '/', c = call()) => sendUpstream({ method: 'GET', url: `http://${host}:${origin.port}${path}`, headers: {}, body: undefined }, c);

test('a name resolving to loopback is reachable under the operator default', async () => {
  const res = await get('plain.test');
  assert.equal(res.statusCode, 200);
  assert.equal(await res.body.text(), 'ok');
});

test('names resolving to metadata addresses fail with target_forbidden and open no connection', async () => {
  const before = hits;
  for (const host of ['imds.test', 'mixed.test', 'ula-imds.test', '[::ffff:169.254.169.254]', '2852039166', '[fe80::1]']) {
    await assert.rejects(get(host), (err: unknown) => err instanceof GatewayError && err.code === 'target_forbidden', host);
  }
  assert.equal(hits, before, 'the server on 127.0.0.1 saw no request for the mixed answer');
});

test('under privateNetworks: allowlist only listed hosts reach private addresses', async () => {
  const strict = { ...call(), addressPolicy: compileAddressPolicy({ privateNetworks: 'allowlist', allowPrivateHosts: ['plain.test'] }) };
  assert.equal((await get('plain.test', '/', strict)).statusCode, 200);
  const deny = { ...call(), addressPolicy: compileAddressPolicy({ privateNetworks: 'allowlist', allowPrivateHosts: [] }) };
  await assert.rejects(get('plain.test', '/', deny), (err: unknown) => err instanceof GatewayError && err.code === 'target_forbidden');
  await assert.rejects(get('127.1', '/', deny), (err: unknown) => err instanceof GatewayError && err.code === 'target_forbidden');
});

test('redirects are handed back, never followed', async () => {
  const res = await get('plain.test', '/redirect');
  assert.equal(res.statusCode, 302);
  await res.body.text();
  assert.equal(redirectTargetHits, 0);
});

test('the lookup answers single-address callers too, and refuses forbidden answers', async () => {
  const lookup = guardedLookup(OPERATOR_POLICY);
  const one = await new Promise<[unknown, unknown, unknown]>((resolve) => lookup('plain.test', { family: 0 }, (e, a, f) => resolve([e, a, f])));
  assert.deepEqual(one, [null, '127.0.0.1', 4]);
  const bad = await new Promise<unknown>((resolve) => lookup('imds.test', { family: 0, all: true } as never, (e) => resolve(e)));
  assert.ok(bad instanceof TargetForbiddenError);
});
