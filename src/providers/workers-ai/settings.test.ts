import { test } from 'node:test';
import assert from 'node:assert/strict';
import { workersAIFromEnv, workersAISettingsSchema } from './settings.js';

test('schema accepts a minimal entry and both api modes', () => {
  assert.ok(workersAISettingsSchema.safeParse({ type: 'workers-ai', accountId: 'abc123' }).success);
  assert.ok(workersAISettingsSchema.safeParse({ type: 'workers-ai', accountId: 'a', apiToken: 't', api: 'openai' }).success);
});

test('schema rejects apiKey, unknown keys, a missing or unsafe accountId and unknown api modes', () => {
  const reject = (v: unknown): void => assert.equal(workersAISettingsSchema.safeParse(v).success, false, JSON.stringify(v));
  reject({ type: 'workers-ai', accountId: 'a', apiKey: 'k' });
  reject({ type: 'workers-ai', accountId: 'a', extra: 1 });
  reject({ type: 'workers-ai' });
  reject({ type: 'workers-ai', accountId: '../zones' });
  reject({ type: 'workers-ai', accountId: 'a', api: 'rest' });
  reject({ type: 'openai', accountId: 'a' });
});

test('fromEnv needs both the account id and the token', () => {
  assert.deepEqual(workersAIFromEnv({ CLOUDFLARE_ACCOUNT_ID: 'acc', CLOUDFLARE_API_TOKEN: 'tok' }), {
    'workers-ai': { type: 'workers-ai', accountId: 'acc', apiToken: 'tok' },
  });
  assert.deepEqual(workersAIFromEnv({ CLOUDFLARE_ACCOUNT_ID: 'acc' }), {});
  assert.deepEqual(workersAIFromEnv({ CLOUDFLARE_API_TOKEN: 'tok' }), {});
});
