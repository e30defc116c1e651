/**
 * End-to-end SSRF guard (S8): a config-file provider whose host name resolves to a cloud
 * metadata address gets `target_forbidden` at once, with no connection made, while the default
 * policy still reaches loopback and the allowlist admits a named private host. Names are
 * answered by a test resolver, never real DNS; every real connection goes to 127.0.0.1.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { postJson } from './http-client.js';
import { useResolverForTests } from '../../src/security/guarded-connect.js';

const NAMES: Record<string, string[]> = {
  'imds.tollgate.test': ['169.254.169.254'],
  'sneaky.tollgate.test': ['127.0.0.1', 'fd00:ec2::254'],
  'vllm.tollgate.test': ['127.0.0.1'],
};

let h: Harness;
before(async () => {
  useResolverForTests((name, _opts, cb) => {
    const list = NAMES[name];
    if (!list) return cb(Object.assign(new Error(`not found: ${name}`), { code: 'ENOTFOUND' }), []);
    cb(null, list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })));
  });
  h = await startHarness({
    config: (mockUrl) => {
      const port = new URL(mockUrl).port;
      return {
        providers: {
          imds: { type: 'openai-compatible', baseUrl: `http://imds.tollgate.test:${port}/v1` },
          sneaky: { type: 'openai-compatible', baseUrl: `http://sneaky.tollgate.test:${port}/v1` },
          metaliteral: { type: 'openai-compatible', baseUrl: `http://[::ffff:a9fe:a9fe]:${port}/v1` },
          vllm: { type: 'openai-compatible', baseUrl: `http://vllm.tollgate.test:${port}/v1` },
          local: { type: 'openai-compatible', baseUrl: `${mockUrl}/v1` },
        },
      };
    },
  });
});
after(async () => {
  await h?.close();
  useResolverForTests(undefined);
});

const chat = (model: string) => postJson(`${h.gateway.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] });

test('S8: providers resolving to metadata addresses get target_forbidden and no connection', async () => {
  h.mock.resetAttempts();
  for (const model of ['imds/m', 'sneaky/m', 'metaliteral/m']) {
    const r = await chat(model);
    assert.equal(r.status, 502, model);
    assert.equal((r.json() as { error: { code: string } }).error.code, 'target_forbidden', model);
  }
  // sneaky's first address is the mock itself: refusing the whole answer means it saw nothing.
  assert.equal(h.mock.attempts().length, 0);
});

test('S8: the default policy keeps operator-configured loopback hosts reachable', async () => {
  const r = await chat('vllm/m');
  assert.equal(r.status, 200);
  const direct = await chat('local/m');
  assert.equal(direct.status, 200);
});

test('S8: pass-through to a forbidden provider is refused the same way', async () => {
  const r = await postJson(`${h.gateway.url}/imds/chat/completions`, { model: 'm', messages: [] });
  assert.equal(r.status, 502);
  assert.equal((r.json() as { error: { code: string } }).error.code, 'target_forbidden');
});

test('S8: under privateNetworks: allowlist only the listed private host is reachable', async () => {
  const strict = await startHarness({
    config: (mockUrl) => ({
      providers: {
        vllm: { type: 'openai-compatible', baseUrl: `http://vllm.tollgate.test:${new URL(mockUrl).port}/v1` },
        local: { type: 'openai-compatible', baseUrl: `${mockUrl}/v1` },
      },
      security: { privateNetworks: 'allowlist', allowPrivateHosts: ['VLLM.tollgate.test.'] },
    }),
  });
  try {
    const send = (model: string) => postJson(`${strict.gateway.url}/v1/chat/completions`, { model, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal((await send('vllm/m')).status, 200);
    const refused = await send('local/m');
    assert.equal(refused.status, 502);
    assert.equal((refused.json() as { error: { code: string } }).error.code, 'target_forbidden');
    assert.equal(strict.mock.attempts().length, 1, 'only the allowlisted call reached the mock');
  } finally {
    await strict.close();
  }
});
