import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config/schema.js';
import { compileGuardPolicy } from './guard-policy.js';
import { hashKey } from './api-key.js';

const SECRET = 'tg-a-long-enough-config-key-0001';

test('an open config has no classes and is not "configured"', () => {
  const p = compileGuardPolicy(configSchema.parse({}));
  assert.equal(p.configured, false);
  assert.deepEqual(p.classes, []);
  assert.deepEqual([...p.tiers.keys()].sort(), ['low', 'premium', 'standard']);
  assert.deepEqual(p.tiers.get('standard'), { perRequest: 10_000, daily: 1_000_000, monthly: undefined });
});

test('keys are hashed, tiers resolved, the default class gets 60/1000/10000 once keys exist', () => {
  const p = compileGuardPolicy(configSchema.parse({
    tenants: { acme: { budget: { tier: 'standard' }, rateLimits: { perMinute: 5 } } },
    keys: [{ name: 'acme-backend', tenant: 'acme', key: SECRET, budget: { perRequest: 0.05, monthly: 100 } }],
    rateLimits: { expensive: { perMinute: 10, operations: ['application_generation'] } },
  }));
  assert.equal(p.configured, true);
  const k = p.configKeys[0];
  assert.equal(k.hash, hashKey(SECRET).toString('hex'));
  assert.ok(!JSON.stringify({ ...k, hash: '' }).includes(SECRET), 'the secret is not kept');
  assert.deepEqual(k.budget, { perRequest: 50_000, daily: undefined, monthly: 100_000_000 });
  assert.equal(p.tenants.get('acme')?.budget?.daily, 1_000_000);
  assert.deepEqual(p.classes.map((c) => [c.name, c.windows.map((w) => `${w.name}=${w.limit}`)]), [
    ['default', ['default-1m=60', 'default-1h=1000', 'default-1d=10000']],
    ['expensive', ['expensive-1m=10']],
  ]);
});

test('config validation: unknown tiers, duplicate secrets and bad proxy entries are errors', () => {
  const r = configSchema.safeParse({
    server: { trustedProxies: ['not-an-ip'] },
    auth: { trustedBackends: ['10.0.0.0/8'] },
    keys: [{ name: 'a', tenant: 't', key: SECRET, budget: { tier: 'gold' } }, { name: 'b', tenant: 't', key: SECRET }],
  });
  assert.equal(r.success, false);
  const paths = r.error!.issues.map((i) => i.path.join('.')).sort();
  assert.deepEqual(paths, ['keys.0.budget.tier', 'keys.1.key', 'server.trustedProxies.0']);
});
