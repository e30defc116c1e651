/**
 * End-to-end: Tollgate keys and tenants through a real gateway — config keys and admin-API keys
 * (create, use, rotate, revoke; stored only as SHA-256 digests), model permissions, the open
 * gateway default, `GET /v1/models` behind the key and narrowed to its models, S3 (hashing,
 * wrong-length and case variants → 401, never 500), S1 (every
 * registered route, enumerated, refuses operator access without the admin key) and S2 (one
 * tenant cannot read or change another's keys, logs or spend).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import OpenAI from 'openai';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import { HOT_PATHS } from '../../src/http/fast-path.js';

const ADMIN = 'admin-key-for-access-control-tests';
const ACME = 'tg-acme-config-key-0123456789abcdef';
const GLOBEX = 'tg-globex-config-key-0123456789abcdef';
const chat = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] };

let h: Harness;
let dbPath = '';
before(async () => {
  h = await startHarness({
    config: () => ({
      admin: { apiKey: ADMIN },
      tenants: { acme: {}, globex: { models: ['smart'] } },
      keys: [{ name: 'acme-backend', tenant: 'acme', key: ACME }, { name: 'globex-app', tenant: 'globex', key: GLOBEX }],
    }),
  });
  dbPath = h.gateway.config().source.storage.slice('sqlite://'.length);
});
after(async () => { await h.close(); });

const url = (p: string): string => `${h.gateway.url}${p}`;
const bearer = (k: string): Record<string, string> => ({ authorization: `Bearer ${k}` });
const sdk = (key: string): OpenAI => new OpenAI({ baseURL: `${h.gateway.url}/v1`, apiKey: key, maxRetries: 0 });

describe('keys on the request path', () => {
  test('a config key works with Authorization and with cf-aig-authorization; the event carries key and tenant', async () => {
    const r = await postJson(url('/v1/chat/completions'), chat, bearer(ACME));
    assert.equal(r.status, 200);
    const alias = await postJson(url('/v1/chat/completions'), chat, { 'cf-aig-authorization': `Bearer ${ACME}` });
    assert.equal(alias.status, 200);
    const reply = await sdk(ACME).chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(reply.object, 'chat.completion');
    const id = r.headers['x-request-id'] as string;
    let row: { tenant?: string; keyId?: string } | undefined;
    for (let i = 0; i < 100 && !row; i++) {
      const logs = await raw(url(`/api/logs?requestId=${id}`), { method: 'GET', headers: bearer(ADMIN) });
      row = (logs.json().data as Array<{ tenant: string; keyId: string }>)[0];
      if (!row) await new Promise((res) => setTimeout(res, 20));
    }
    assert.equal(row?.tenant, 'acme');
    assert.equal(row?.keyId, 'config:acme-backend');
  });

  test('no key → missing_credentials; unknown key → invalid_api_key (401 both)', async () => {
    const none = await postJson(url('/v1/chat/completions'), chat);
    assert.equal(none.status, 401);
    assert.equal((none.json().error as { code: string }).code, 'missing_credentials');
    const bad = await postJson(url('/v1/chat/completions'), chat, bearer('tg-not-a-key'));
    assert.equal(bad.status, 401);
    assert.equal((bad.json().error as { code: string }).code, 'invalid_api_key');
    await assert.rejects(sdk('tg-nope').chat.completions.create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }), OpenAI.AuthenticationError);
  });

  test('S3: wrong-length, case and embedded-whitespace variants are 401, never 500; outer blanks are the same key', async () => {
    const variants = ['', 'x', ACME.slice(0, -1), `${ACME}0`, ACME.toUpperCase(), `${ACME.slice(0, 10)} ${ACME.slice(10)}`, 'tg-'.padEnd(5_000, 'a')];
    for (const v of variants) {
      const r = await raw(url('/v1/chat/completions'), { headers: { 'content-type': 'application/json', authorization: `Bearer ${v}` }, body: JSON.stringify(chat) });
      assert.equal(r.status, 401, `variant of length ${v.length}`);
    }
    const padded = await raw(url('/v1/chat/completions'), { headers: { 'content-type': 'application/json', authorization: `Bearer   ${ACME}\t` }, body: JSON.stringify(chat) });
    assert.equal(padded.status, 200);
  });

  test('a tenant limited to some models gets key_not_allowed for others', async () => {
    const denied = await postJson(url('/v1/chat/completions'), chat, bearer(GLOBEX));
    assert.equal(denied.status, 403);
    assert.equal((denied.json().error as { code: string }).code, 'key_not_allowed');
    const ok = await postJson(url('/v1/chat/completions'), { ...chat, model: 'smart' }, bearer(GLOBEX));
    assert.equal(ok.status, 200);
  });

  test('auth.requireKey closes a gateway that has no key yet (fail closed)', async () => {
    const g = await startHarness({ config: () => ({ auth: { requireKey: true } }) });
    try {
      const r = await postJson(`${g.gateway.url}/v1/chat/completions`, chat);
      assert.equal(r.status, 401);
      assert.equal((r.json().error as { code: string }).code, 'missing_credentials');
    } finally {
      await g.close();
    }
  });

  test('GET /v1/models needs a key and lists only what the key and its tenant may use (SDK models.list)', async () => {
    const list = async (key: string): Promise<string[]> => {
      const ids: string[] = [];
      for await (const m of sdk(key).models.list()) ids.push(m.id);
      return ids;
    };
    const all = h.gateway.config().modelIds;
    assert.ok(all.length > 2 && all.includes('smart') && all.includes('openai/gpt-4o-mini'));
    assert.deepEqual(await list(ACME), all, 'a key without a models list sees everything');
    assert.deepEqual(await list(GLOBEX), ['smart'], 'the tenant\'s models list narrows it');
    const created = await postJson(url('/api/admin/keys'), { name: 'lister', tenant: 'acme', models: ['OpenAI/GPT-4o-mini', 'smart', 'openai/not-advertised'] }, bearer(ADMIN));
    assert.deepEqual(await list((created.json() as { key: string }).key), ['openai/gpt-4o-mini', 'smart'], 'case-insensitive, advertised ids only, in list order');
    await assert.rejects(list('tg-not-a-key'), OpenAI.AuthenticationError);
    const none = await raw(url('/v1/models'), { method: 'GET' });
    assert.equal(none.status, 401);
    assert.equal((none.json().error as { code: string }).code, 'missing_credentials');
  });

  test('an open gateway still lists its models to anyone', async () => {
    const g = await startHarness();
    try {
      const r = await raw(`${g.gateway.url}/v1/models`, { method: 'GET' });
      assert.equal(r.status, 200);
      assert.equal((r.json().data as unknown[]).length, g.gateway.config().modelIds.length);
    } finally {
      await g.close();
    }
  });

  test('native pass-through needs a key too once keys exist', async () => {
    const none = await raw(url('/openai/models'), { method: 'GET' });
    assert.equal(none.status, 401);
    const ok = await raw(url('/openai/models'), { method: 'GET', headers: bearer(ACME) });
    assert.equal(ok.status, 200);
  });
});

describe('admin API keys', () => {
  test('create → use → rotate (old stops, new works) → revoke; only the digest is stored', async () => {
    const created = await postJson(url('/api/admin/keys'), { name: 'ci', tenant: 'acme', models: ['openai/gpt-4o-mini'] }, bearer(ADMIN));
    assert.equal(created.status, 201);
    const { key, id } = created.json() as { key: string; id: string };
    assert.match(key, /^tg-[A-Za-z0-9_-]{43}$/);
    assert.equal((await postJson(url('/v1/chat/completions'), chat, bearer(key))).status, 200);

    const db = new Database(dbPath, { readonly: true });
    try {
      const row = db.prepare('SELECT * FROM guard_keys WHERE id = ?').get(id) as Record<string, unknown>;
      assert.equal(row.hash, createHash('sha256').update(key).digest('hex'));
      assert.ok(!JSON.stringify(row).includes(key), 'the secret is not in the database');
    } finally {
      db.close();
    }

    const listed = await raw(url('/api/admin/keys'), { method: 'GET', headers: bearer(ADMIN) });
    assert.ok(!listed.text.includes(key) && !listed.text.includes(createHash('sha256').update(key).digest('hex')), 'listings show neither secret nor digest');
    assert.ok((listed.json().data as Array<{ id: string }>).some((k) => k.id === id));

    const rotated = await raw(url(`/api/admin/keys/${id}/rotate`), { method: 'POST', headers: bearer(ADMIN) });
    assert.equal(rotated.status, 200);
    const fresh = (rotated.json() as { key: string }).key;
    assert.equal((await postJson(url('/v1/chat/completions'), chat, bearer(key))).status, 401);
    assert.equal((await postJson(url('/v1/chat/completions'), chat, bearer(fresh))).status, 200);

    const revoked = await raw(url(`/api/admin/keys/${id}`), { method: 'DELETE', headers: bearer(ADMIN) });
    assert.deepEqual(revoked.json(), { id, revoked: true });
    assert.equal((await postJson(url('/v1/chat/completions'), chat, bearer(fresh))).status, 401);
  });

  test('invalid input is a 400 naming the field; unknown ids are 404', async () => {
    const bad = await postJson(url('/api/admin/keys'), { name: 'x', tenant: 'acme', budget: { tier: 'gold' } }, bearer(ADMIN));
    assert.equal(bad.status, 400);
    assert.equal((bad.json().error as { param: string }).param, 'budget.tier');
    const missing = await raw(url('/api/admin/keys/key_nope'), { method: 'DELETE', headers: bearer(ADMIN) });
    assert.equal(missing.status, 404);
  });
});

describe('B10: prototype-polluting keys on the admin API', () => {
  const POISON = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}';
  const send = (method: string, path: string, body: string) => raw(url(path), { method, headers: { 'content-type': 'application/json', ...bearer(ADMIN) }, body });
  const clean = (): void => {
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype was polluted');
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  };

  test('keys and tenants: the strict schemas refuse them (400), nothing is stored, Object.prototype stays clean', async () => {
    const top = await send('POST', '/api/admin/keys', `{"name":"proto-top","tenant":"acme",${POISON}}`);
    assert.equal(top.status, 400, top.text);
    clean();
    const nested = await send('POST', '/api/admin/keys', `{"name":"proto-nested","tenant":"acme","labels":{"team":"x",${POISON}},"budget":{${POISON}}}`);
    assert.equal(nested.status, 400, nested.text);
    clean();
    const created = await postJson(url('/api/admin/keys'), { name: 'proto-target', tenant: 'acme' }, bearer(ADMIN));
    const id = (created.json() as { id: string }).id;
    for (const [method, path] of [['PATCH', `/api/admin/keys/${id}`], ['PUT', '/api/admin/tenants/acme'], ['PATCH', '/api/admin/tenants/acme']]) {
      const r = await send(method, path, `{${POISON}}`);
      assert.equal(r.status, 400, `${method} ${path}: ${r.text}`);
      clean();
    }
    for (const path of ['/api/admin/keys?tenant=acme', '/api/admin/tenants']) {
      const listed = await raw(url(path), { method: 'GET', headers: bearer(ADMIN) });
      assert.equal(listed.status, 200);
      assert.ok(!listed.text.includes('polluted'), `${path} returned a poisoned record`);
    }
    assert.equal((await postJson(url('/v1/chat/completions'), chat, bearer(ACME))).status, 200);
  });
});

describe('S1: every registered route, enumerated', () => {
  const OPERATOR = /^\/(api|metrics|graphql)(\/|$)/;
  const DASHBOARD = /^\/dashboard(\/|$)/;
  /** Without a session the dashboard gives away only its login page, a redirect to it, or a refusal. */
  const dashboardRefuses = (path: string, r: { status: number; headers: Record<string, unknown>; text: string }): boolean =>
    r.status >= 400
    || (r.status === 303 && r.headers.location === '/dashboard/')
    || (r.status === 200 && r.text.includes('action="/dashboard/login"'))
    || (r.status === 204 && path === '/dashboard/logout');
  const concrete = (u: string): string => u.replace(/:[A-Za-z]+/g, 'openai').replace(/\*$/, 'v1/models');

  test('the enumeration sees the operator routes (so the test below is not vacuous)', () => {
    const urls = h.gateway.routes().map((r) => r.url);
    for (const u of ['/api/logs', '/api/admin/keys', '/api/admin/budgets', '/api/admin/cache', '/api/alerts', '/metrics', '/graphql', '/dashboard/*', '/health']) assert.ok(urls.includes(u), u);
  });

  test('no operator route answers 2xx without the admin key or with a tenant key; all answer with it', async () => {
    const routes = [...h.gateway.routes(), ...HOT_PATHS.map((url) => ({ method: 'POST', url }))];
    assert.ok(routes.some((r) => r.method === 'GET' && r.url === '/v1/models'), 'the model list is enumerated');
    for (const { method, url: path } of routes) {
      const target = url(concrete(path));
      const send = (headers: Record<string, string>) => raw(target, { method, headers: { 'content-type': 'application/json', ...headers }, body: method === 'GET' || method === 'DELETE' ? undefined : '{}' });
      const anonymous = await send({});
      const tenant = await send(bearer(ACME));
      if (DASHBOARD.test(path)) {
        assert.ok(dashboardRefuses(path, anonymous), `${method} ${path} without a session answered ${anonymous.status}`);
        assert.ok(dashboardRefuses(path, tenant), `${method} ${path} with a tenant key answered ${tenant.status}`);
      } else if (OPERATOR.test(path)) {
        assert.equal(anonymous.status, 401, `${method} ${path} without credentials`);
        assert.equal(tenant.status, 401, `${method} ${path} with a tenant key`);
        const admin = await send(bearer(ADMIN));
        assert.notEqual(admin.status, 401, `${method} ${path} with the admin key`);
      } else if (!path.startsWith('/health')) {
        assert.ok(anonymous.status < 200 || anonymous.status >= 300, `${method} ${path} answered ${anonymous.status} without a key`);
      }
      if (path === '/v1/models') {
        // Behind the tenant key like the rest of /v1 (issue #5), not merely broken.
        assert.equal(anonymous.status, 401, 'GET /v1/models without a key');
        assert.equal(tenant.status, 200, 'GET /v1/models with a tenant key');
      }
    }
  });
});

describe('S2: tenant isolation on the admin API', () => {
  test('tenant A cannot list, rotate or revoke tenant B keys, read logs or spend', async () => {
    const created = await postJson(url('/api/admin/keys'), { name: 'globex-ci', tenant: 'globex' }, bearer(ADMIN));
    const { id, key } = created.json() as { id: string; key: string };
    const attempts: Array<[string, string]> = [
      ['GET', '/api/admin/keys?tenant=globex'], ['GET', '/api/admin/tenants'], ['GET', '/api/admin/budgets?tenant=globex'],
      ['GET', '/api/logs?tenant=globex'], ['GET', '/api/logs/export?format=json'],
      ['POST', `/api/admin/keys/${id}/rotate`], ['DELETE', `/api/admin/keys/${id}`], ['PUT', '/api/admin/tenants/globex'],
    ];
    for (const [method, path] of attempts) {
      const r = await raw(url(path), { method, headers: { ...bearer(ACME), 'content-type': 'application/json' }, body: method === 'PUT' ? '{}' : undefined });
      assert.equal(r.status, 401, `${method} ${path}`);
      assert.ok(!r.text.includes('globex-ci'), 'nothing of tenant B leaks in the refusal');
    }
    // B's key still works: nothing was changed by A's attempts.
    assert.equal((await postJson(url('/v1/chat/completions'), { ...chat, model: 'smart' }, bearer(key))).status, 200);
  });
});
