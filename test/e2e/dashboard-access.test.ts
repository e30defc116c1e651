/**
 * Dashboard access over plain HTTP: without a session only the login page is served; the login
 * form takes the admin key and answers a session cookie (HttpOnly, SameSite=Strict, 12 h) that
 * the operator APIs accept instead of the key, non-GET calls only with the session's CSRF
 * header; logout ends it. The static file server finds only its own files: path traversal in
 * every spelling is a 404 (B7). With no admin key, only loopback browsers get in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startHarness, type Harness } from './harness.js';
import { raw } from './http-client.js';

const ADMIN = 'admin-key-dashboard-0123456789';

/** node:http sends the path exactly as given: no URL normalisation of `..` on the way out. */
function rawPath(base: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: u.hostname, port: u.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function login(h: Harness, key: string): Promise<{ status: number; cookie: string | undefined; setCookie: string }> {
  const r = await raw(`${h.gateway.url}/dashboard/login`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `key=${encodeURIComponent(key)}` });
  const setCookie = String(r.headers['set-cookie'] ?? '');
  return { status: r.status, cookie: setCookie ? setCookie.split(';')[0] : undefined, setCookie };
}

function builtAsset(): string {
  const html = readFileSync(join(process.cwd(), 'dist', 'dashboard', 'index.html'), 'utf8');
  const m = /src="(\/dashboard\/assets\/[^"]+\.js)"/.exec(html);
  assert.ok(m, 'the dashboard is built (npm run build)');
  return m[1];
}

describe('dashboard access', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ config: () => ({ admin: { apiKey: ADMIN } }) }); });
  after(async () => { await h.close(); });

  test('without a session: the login page, and nothing else', async () => {
    const page = await raw(`${h.gateway.url}/dashboard/`, { method: 'GET' });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /<form method="post" action="\/dashboard\/login">/);
    assert.doesNotMatch(page.text, /<script/);
    assert.equal(page.headers['cache-control'], 'no-store');
    const redirect = await raw(`${h.gateway.url}/dashboard`, { method: 'GET' });
    assert.equal(redirect.status, 303);
    assert.equal(redirect.headers.location, '/dashboard/');
    for (const path of [builtAsset(), '/dashboard/favicon.ico', '/dashboard/session', '/api/logs', '/api/analytics/usage', '/api/gateway/metrics', '/api/alerts']) {
      const r = await raw(`${h.gateway.url}${path}`, { method: 'GET' });
      assert.equal(r.status, 401, path);
      assert.doesNotMatch(r.text, /requestId|function\(/, path);
    }
    assert.match((await raw(`${h.gateway.url}/dashboard/index.html`, { method: 'GET' })).text, /action="\/dashboard\/login"/);
    const forged = await raw(`${h.gateway.url}/api/logs`, { method: 'GET', headers: { cookie: 'tollgate_session=forged-value' } });
    assert.equal(forged.status, 401);
  });

  test('a wrong key is refused; the right one opens a session the APIs accept', async () => {
    const wrong = await login(h, 'not-the-key');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.cookie, undefined);
    const ok = await login(h, ADMIN);
    assert.equal(ok.status, 303);
    assert.match(ok.setCookie, /^tollgate_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    const headers = { cookie: ok.cookie! };
    assert.equal((await raw(`${h.gateway.url}/api/logs`, { method: 'GET', headers })).status, 200);
    const session = await raw(`${h.gateway.url}/dashboard/session`, { method: 'GET', headers });
    assert.equal(session.status, 200);
    const s = session.json() as { csrf: string; features: { budgets: boolean; cache: boolean } };
    assert.equal(typeof s.csrf, 'string');
    assert.equal(typeof s.features.budgets, 'boolean');
    const asset = await raw(`${h.gateway.url}${builtAsset()}`, { method: 'GET', headers: { ...headers, 'accept-encoding': 'gzip' } });
    assert.equal(asset.status, 200);
    assert.match(String(asset.headers['content-type']), /^text\/javascript/);
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal(asset.headers['content-encoding'], 'gzip');
    const index = await raw(`${h.gateway.url}/dashboard/`, { method: 'GET', headers });
    assert.match(index.text, /<div id="app">/);
    assert.equal(index.headers['cache-control'], 'no-store');
    assert.match(String(index.headers['content-security-policy']), /default-src 'self'/);
    // A cross-site form post is refused even with the right key.
    const cross = await raw(`${h.gateway.url}/dashboard/login`, { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' }, body: `key=${ADMIN}` });
    assert.equal(cross.status, 401);
  });

  test('non-GET calls with the cookie need the CSRF header; logout ends the session', async () => {
    const { cookie } = await login(h, ADMIN);
    const headers = { cookie: cookie!, 'content-type': 'application/json' };
    const csrf = ((await raw(`${h.gateway.url}/dashboard/session`, { method: 'GET', headers })).json() as { csrf: string }).csrf;
    const body = '{"query":"{ __typename }"}';
    assert.equal((await raw(`${h.gateway.url}/graphql`, { headers, body })).status, 401);
    assert.equal((await raw(`${h.gateway.url}/graphql`, { headers: { ...headers, 'x-tollgate-csrf': 'wrong' }, body })).status, 401);
    assert.equal((await raw(`${h.gateway.url}/graphql`, { headers: { ...headers, 'x-tollgate-csrf': csrf }, body })).status, 200);
    assert.equal((await raw(`${h.gateway.url}/dashboard/logout`, { headers })).status, 401, 'logout without the CSRF header');
    const out = await raw(`${h.gateway.url}/dashboard/logout`, { headers: { ...headers, 'x-tollgate-csrf': csrf } });
    assert.equal(out.status, 204);
    assert.match(String(out.headers['set-cookie']), /^tollgate_session=; .*Max-Age=0/);
    assert.equal((await raw(`${h.gateway.url}/api/logs`, { method: 'GET', headers })).status, 401);
    const again = await raw(`${h.gateway.url}/dashboard/`, { method: 'GET', headers });
    assert.match(again.text, /Your session ended/);
  });

  test('B7: path traversal, encoded, double-encoded and NUL spellings are 404, with or without a session', async () => {
    const { cookie } = await login(h, ADMIN);
    const paths = [
      '/dashboard/../package.json', '/dashboard/../../etc/passwd', '/dashboard/%2e%2e/package.json', '/dashboard/%2E%2E%2Fpackage.json',
      '/dashboard/%252e%252e/package.json', '/dashboard/%252e%252e%252fpackage.json', '/dashboard/assets/..%2f..%2f..%2fpackage.json',
      '/dashboard/..%5c..%5cpackage.json', '/dashboard/index.html%00', '/dashboard/%00', '/dashboard/assets/',
      '/dashboard/./index.html', '/dashboard//etc/passwd', '/dashboard/..\\package.json',
    ];
    const anonymous: Record<string, string> = {};
    for (const path of paths) {
      for (const headers of [anonymous, { cookie: cookie! }]) {
        const r = await rawPath(h.gateway.url, path, headers);
        assert.equal(r.status, 404, `${path} ${JSON.stringify(headers)}`);
        assert.doesNotMatch(r.body, /"name": "tollgate"|root:/, path);
      }
    }
    // No directory listing and no sources: only built files exist (without a session these are 401).
    for (const path of ['/dashboard/assets', '/dashboard/assets/', '/dashboard/src/main.tsx', '/dashboard/vite.config.mjs']) assert.equal((await rawPath(h.gateway.url, path, { cookie: cookie! })).status, 404, path);
  });
});

describe('dashboard without an admin key', () => {
  let h: Harness;
  before(async () => { h = await startHarness(); });
  after(async () => { await h.close(); });

  test('a loopback browser needs no login, as for the APIs', async () => {
    const index = await raw(`${h.gateway.url}/dashboard/`, { method: 'GET' });
    assert.equal(index.status, 200);
    assert.match(index.text, /<div id="app">/);
    const s = await raw(`${h.gateway.url}/dashboard/session`, { method: 'GET' });
    assert.equal(s.status, 200);
    assert.equal((s.json() as { csrf: unknown }).csrf, null);
    const l = await raw(`${h.gateway.url}/dashboard/login`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'key=x' });
    assert.equal(l.status, 303);
  });
});
