/**
 * S1/S3 for the operator endpoints that exist today (/api/logs, /api/logs/export): with an
 * admin key configured they answer 401 `admin_unauthorized` without it, with a wrong key, or
 * with a key of another length (never 500), and 200 with it as a bearer token or in
 * `x-tollgate-admin-key`. The OpenAI-compatible API does not accept the admin key as a way in.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { raw } from './http-client.js';

const KEY = 'adm-0123456789abcdef-secret';

describe('admin key on operator endpoints', () => {
  let h: Harness;
  before(async () => { h = await startHarness({ config: () => ({ admin: { apiKey: KEY } }) }); });
  after(async () => { await h.close(); });

  for (const path of ['/api/logs', '/api/logs/export?format=json']) {
    test(`${path}: refused without, with a wrong or odd-length key; served with the key`, async () => {
      const variants: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${KEY}x` }, { authorization: `Basic ${KEY}` }, { 'x-tollgate-admin-key': '' }];
      for (const headers of variants) {
        const r = await raw(`${h.gateway.url}${path}`, { method: 'GET', headers });
        assert.equal(r.status, 401, JSON.stringify(headers));
        assert.equal((r.json().error as { code: string }).code, 'admin_unauthorized');
        assert.ok(!r.text.includes(KEY));
      }
      assert.equal((await raw(`${h.gateway.url}${path}`, { method: 'GET', headers: { authorization: `bearer ${KEY}` } })).status, 200);
      assert.equal((await raw(`${h.gateway.url}${path}`, { method: 'GET', headers: { 'x-tollgate-admin-key': KEY } })).status, 200);
    });
  }
});
