/**
 * End-to-end regression for a B12 fuzz finding: rate class names are free-form config keys, and
 * one outside latin-1 (or with `"`) used to produce RateLimit headers Node refused to set, so
 * every request of that class failed. Now the names are escaped sf-strings: requests pass, and
 * the headers carry the escaped names, also on a refusal.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { postJson } from './http-client.js';

let h: Harness;
before(async () => {
  h = await startHarness({ config: () => ({ rateLimits: { default: { perMinute: 100 }, 'caf€ "x"': { perMinute: 1 } } }) });
});
after(async () => {
  await h.close();
});

const chat = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 };

test('a rate class name with a quote and a non-latin-1 character gives valid headers', async () => {
  const ok = await postJson(`${h.gateway.url}/v1/chat/completions`, chat);
  assert.equal(ok.status, 200, ok.text);
  assert.match(String(ok.headers['ratelimit-policy']), /"caf%E2%82%AC \\"x\\"-1m";q=1;w=60/);
  const refused = await postJson(`${h.gateway.url}/v1/chat/completions`, chat);
  assert.equal(refused.status, 429, refused.text);
  assert.match(String(refused.headers.ratelimit), /^"caf%E2%82%AC \\"x\\"-1m";r=0;t=\d+$/);
});
