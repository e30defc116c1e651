/**
 * End-to-end across features: tenants from access control drive the cache's tenant scope (S4
 * through real keys: one tenant never gets another's answer, a `global` request shares) and
 * payload logging (only a tenant that opted in has its prompt and completion stored, and then
 * masked: card numbers and provider keys never reach the log store).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageEvent } from '../../src/metering/usage-event.js';
import { startHarness, type Harness } from './harness.js';
import { postJson } from './http-client.js';

const ACME = 'tg-acme-isolation-key-0123456789abcdef';
const GLOBEX = 'tg-globex-isolation-key-0123456789abcd';
const CARD = '4111 1111 1111 1111';
const SECRET = 'sk-proj-AbCdEf0123456789AbCdEf0123456789';

let h: Harness;
before(async () => {
  h = await startHarness({
    config: () => ({
      cache: { enabled: true, shared: 'none' },
      tenants: { acme: { logPayloads: true }, globex: {} },
      keys: [{ name: 'acme-app', tenant: 'acme', key: ACME }, { name: 'globex-app', tenant: 'globex', key: GLOBEX }],
    }),
  });
});
after(async () => { await h.close(); });

const url = (p: string): string => `${h.gateway.url}${p}`;
const bearer = (k: string, extra: Record<string, string> = {}): Record<string, string> => ({ authorization: `Bearer ${k}`, ...extra });
const chat = (content: string) => ({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content }] });

async function row(id: string): Promise<UsageEvent> {
  await h.gateway.services.events.flush();
  for (let i = 0; i < 100; i++) {
    const page = await h.gateway.services.store!.query({ requestId: id }, 1, null);
    if (page.rows[0]) return page.rows[0];
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no log row for ${id}`);
}

describe('cache scopes follow the tenant of the key (S4 end to end)', () => {
  test('the same request from two tenants: the second tenant misses, each tenant hits its own', async () => {
    const body = chat('isolation probe: the same prompt for everyone');
    const status = async (key: string, headers: Record<string, string> = {}): Promise<string> =>
      String((await postJson(url('/v1/chat/completions'), body, bearer(key, headers))).headers['x-tollgate-cache-status']);
    assert.equal(await status(ACME), 'MISS');
    assert.equal(await status(GLOBEX), 'MISS', 'never served from another tenant');
    assert.equal(await status(ACME), 'HIT');
    assert.equal(await status(GLOBEX), 'HIT');
    // A global-scope entry is shared on purpose.
    assert.equal(await status(ACME, { 'x-tollgate-cache-scope': 'global' }), 'MISS');
    assert.equal(await status(GLOBEX, { 'x-tollgate-cache-scope': 'global' }), 'HIT');
  });
});

describe('payload logging is per tenant and masked', () => {
  test('an opted-in tenant stores its prompt and answer masked; another tenant stores none', async () => {
    const prompt = `card ${CARD} and key ${SECRET}, please summarise`;
    const a = await postJson(url('/v1/chat/completions'), chat(prompt), bearer(ACME, { 'x-tollgate-skip-cache': 'true' }));
    const g = await postJson(url('/v1/chat/completions'), chat(prompt), bearer(GLOBEX, { 'x-tollgate-skip-cache': 'true' }));
    assert.equal(a.status, 200);
    assert.equal(g.status, 200);
    const stored = await row(a.headers['x-request-id'] as string);
    assert.ok(stored.payload, 'acme opted in');
    assert.match(stored.payload.request ?? '', /please summarise/);
    assert.match(stored.payload.request ?? '', /\[CARD\]/);
    assert.ok(!(stored.payload.request ?? '').includes(CARD), 'card number masked');
    assert.ok(!(stored.payload.request ?? '').includes(SECRET), 'provider key masked');
    assert.match(stored.payload.response ?? '', /chat\.completion/);
    const other = await row(g.headers['x-request-id'] as string);
    assert.equal(other.payload, null, 'globex did not opt in');
  });

  test('streams and cache hits carry the masked answer too', async () => {
    const s = await postJson(url('/v1/chat/completions'), { ...chat('stream me'), stream: true }, bearer(ACME));
    assert.equal(s.status, 200);
    const streamed = await row(s.headers['x-request-id'] as string);
    assert.match(streamed.payload?.response ?? '', /chat\.completion\.chunk/);
    await postJson(url('/v1/chat/completions'), chat('cached answer'), bearer(ACME));
    const hit = await postJson(url('/v1/chat/completions'), chat('cached answer'), bearer(ACME));
    assert.equal(hit.headers['x-tollgate-cache-status'], 'HIT');
    const hitRow = await row(hit.headers['x-request-id'] as string);
    assert.match(hitRow.payload?.response ?? '', /chat\.completion/);
  });
});
