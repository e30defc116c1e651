// Unit tests for header forwarding on native pass-through (catalogue B6): hop-by-hop headers and
// any header named in Connection are stripped in both directions; host, content-length and
// expect are never forwarded upstream; client credentials (authorization, x-api-key, api-key,
// cf-aig-authorization, cookie) are dropped unless keepCredentials; gateway control headers
// (x-tollgate-*, cf-aig-*, x-request-id, x-forwarded-*, forwarded) never leave; repeated headers
// are joined upstream and kept as arrays downstream; set-cookie never reaches the client; and
// clientCredential reads a Bearer token (case-insensitive) or an x-api-key/api-key value.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clientCredential, clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';

type Headers = Record<string, string | string[] | undefined>;

const HOP_BY_HOP = ['connection', 'keep-alive', 'proxy-authenticate', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

const clientHeaders: Headers = {
  host: 'gateway.local:8787',
  'content-length': '42',
  expect: '100-continue',
  'content-type': 'application/json',
  accept: 'text/event-stream',
  'user-agent': 'OpenAI/JS 6.0',
  'anthropic-version': '2023-06-01',
  'openai-beta': 'assistants=v2',
  connection: 'keep-alive, X-Secret-Hop',
  'keep-alive': 'timeout=5',
  'x-secret-hop': 'must-not-pass',
  te: 'trailers',
  trailer: 'x-checksum',
  'transfer-encoding': 'chunked',
  upgrade: 'websocket',
  'proxy-authorization': 'Basic cHJveHk=',
  'proxy-connection': 'keep-alive',
  'proxy-authenticate': 'Basic',
  authorization: 'Bearer sk-client',
  'x-api-key': 'sk-ant-client',
  'api-key': 'azure-client',
  'cf-aig-authorization': 'Bearer cf-token',
  cookie: 'session=abc',
  'x-tollgate-cache-ttl': '60',
  'x-tollgate-user': 'alice',
  'cf-aig-skip-cache': 'true',
  'x-request-id': 'req-12345678',
  'x-forwarded-for': '10.0.0.1',
  'x-forwarded-proto': 'https',
  forwarded: 'for=10.0.0.1',
  'x-tenant-id': 'acme',
  'x-custom': ['a', 'b'],
  'x-undefined': undefined,
};

describe('upstreamRequestHeaders', () => {
  test('managed mode forwards only end-to-end, non-credential, non-gateway headers', () => {
    assert.deepEqual(upstreamRequestHeaders(clientHeaders, false), {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      'user-agent': 'OpenAI/JS 6.0',
      'anthropic-version': '2023-06-01',
      'openai-beta': 'assistants=v2',
      'x-custom': 'a, b',
    });
  });

  test('pass-through mode also keeps the client credentials, but never gateway headers', () => {
    const out = upstreamRequestHeaders(clientHeaders, true);
    assert.equal(out.authorization, 'Bearer sk-client');
    assert.equal(out['x-api-key'], 'sk-ant-client');
    assert.equal(out['api-key'], 'azure-client');
    assert.equal(out.cookie, 'session=abc');
    // cf-aig-authorization authenticates to the gateway, not the provider.
    assert.equal('cf-aig-authorization' in out, false);
    assert.equal('x-tenant-id' in out, false, 'the Tollgate tenant stays in the gateway');
    for (const name of ['x-tollgate-cache-ttl', 'x-tollgate-user', 'cf-aig-skip-cache', 'x-request-id', 'x-forwarded-for', 'x-forwarded-proto', 'forwarded']) {
      assert.equal(name in out, false, name);
    }
  });

  test('hop-by-hop, framing and Connection-named headers are dropped in either mode', () => {
    for (const keep of [false, true]) {
      const out = upstreamRequestHeaders(clientHeaders, keep);
      for (const name of [...HOP_BY_HOP, 'host', 'content-length', 'expect', 'x-secret-hop']) assert.equal(name in out, false, `${name} (keep=${keep})`);
      assert.equal('x-undefined' in out, false);
    }
  });

  test('Connection tokens are matched case-insensitively, with spaces and in repeated headers', () => {
    const out = upstreamRequestHeaders({ connection: ['  Close ,X-A', 'x-b,,'], 'x-a': '1', 'x-b': '2', 'x-c': '3', close: 'odd' }, false);
    assert.deepEqual(out, { 'x-c': '3' });
  });

  test('each credential header alone is dropped in managed mode', () => {
    for (const name of ['authorization', 'x-api-key', 'api-key', 'cf-aig-authorization', 'cookie']) {
      assert.deepEqual(upstreamRequestHeaders({ [name]: 'secret', accept: '*/*' }, false), { accept: '*/*' }, name);
    }
  });

  test('an empty header set gives an empty result', () => {
    assert.deepEqual(upstreamRequestHeaders({}, false), {});
  });
});

describe('clientResponseHeaders', () => {
  test('strips hop-by-hop, Connection-named and set-cookie headers; keeps the rest as they are', () => {
    const out = clientResponseHeaders({
      'content-type': 'application/json',
      'content-length': '10',
      'x-ratelimit-remaining-requests': '99',
      'openai-processing-ms': '120',
      connection: 'keep-alive, x-internal-hop',
      'keep-alive': 'timeout=5',
      'transfer-encoding': 'chunked',
      trailer: 'x',
      te: 'trailers',
      upgrade: 'h2c',
      'proxy-authenticate': 'Basic',
      'proxy-connection': 'close',
      'x-internal-hop': 'secret',
      'set-cookie': ['a=1', 'b=2'],
      vary: ['accept', 'origin'],
      'x-undefined': undefined,
    });
    assert.deepEqual(out, {
      'content-type': 'application/json',
      'content-length': '10',
      'x-ratelimit-remaining-requests': '99',
      'openai-processing-ms': '120',
      vary: ['accept', 'origin'],
    });
  });

  test('no Connection header: only the fixed hop-by-hop list applies', () => {
    assert.deepEqual(clientResponseHeaders({ 'x-a': '1', 'transfer-encoding': 'chunked' }), { 'x-a': '1' });
  });
});

describe('clientCredential', () => {
  test('reads a Bearer token, case-insensitively and with surrounding spaces', () => {
    assert.equal(clientCredential({ authorization: 'Bearer sk-1' }), 'sk-1');
    assert.equal(clientCredential({ authorization: 'bearer sk-2' }), 'sk-2');
    assert.equal(clientCredential({ authorization: 'BEARER   sk-3  ' }), 'sk-3');
    assert.equal(clientCredential({ authorization: ['Bearer first', 'Bearer second'] }), 'first');
  });

  test('falls back to x-api-key, then api-key, trimmed', () => {
    assert.equal(clientCredential({ 'x-api-key': ' sk-ant-1 ' }), 'sk-ant-1');
    assert.equal(clientCredential({ 'api-key': 'azure-1' }), 'azure-1');
    assert.equal(clientCredential({ 'x-api-key': 'x-first', 'api-key': 'second' }), 'x-first');
    assert.equal(clientCredential({ 'x-api-key': ['one', 'two'] }), 'one');
  });

  test('Authorization wins over x-api-key when it holds a bearer token', () => {
    assert.equal(clientCredential({ authorization: 'Bearer from-auth', 'x-api-key': 'from-key' }), 'from-auth');
  });

  test('a non-bearer or malformed Authorization is not a credential by itself', () => {
    assert.equal(clientCredential({ authorization: 'Basic dXNlcjpwYXNz' }), undefined);
    assert.equal(clientCredential({ authorization: 'Bearer' }), undefined);
    assert.equal(clientCredential({ authorization: 'Bearer a b' }), undefined);
    assert.equal(clientCredential({ authorization: 'sk-raw-key' }), undefined);
    assert.equal(clientCredential({ authorization: 'Basic x', 'x-api-key': 'k' }), 'k');
  });

  test('nothing sent: undefined', () => {
    assert.equal(clientCredential({}), undefined);
    assert.equal(clientCredential({ authorization: '', 'x-api-key': '' }), undefined);
  });

  test('a blank x-api-key is no credential', () => {
    assert.equal(clientCredential({ 'x-api-key': '   ' }), undefined);
  });
});

test('the dashboard session cookie is never forwarded, even when client credentials are', () => {
  const out = upstreamRequestHeaders({ cookie: 'a=1; tollgate_session=secret; b=2' }, true);
  assert.equal(out.cookie, 'a=1; b=2');
  assert.equal(upstreamRequestHeaders({ cookie: 'tollgate_session=secret' }, true).cookie, undefined);
  assert.equal(upstreamRequestHeaders({ cookie: 'a=1' }, false).cookie, undefined);
});
