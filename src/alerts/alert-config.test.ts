import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertsSchema, compileAlerts } from './alert-config.js';
import { BUILTIN_RULES } from './builtin-rules.js';

const hook = { type: 'webhook', url: 'http://127.0.0.1:9/x' };

test('defaults: every built-in except quotas (none configured), notifying every destination', () => {
  const rt = compileAlerts(alertsSchema.parse({ destinations: { a: hook, b: { type: 'slack', webhookUrl: 'http://127.0.0.1:9/s' } } }));
  assert.deepEqual(rt.rules.map((r) => r.name), BUILTIN_RULES.filter((r) => r.name !== 'provider-quota').map((r) => r.name));
  assert.ok(rt.rules.every((r) => r.notify.join() === 'a,b'));
  assert.equal(rt.evaluateEveryMs, 15_000);
});

test('built-in overrides and disabling; custom rules with durations', () => {
  const rt = compileAlerts(alertsSchema.parse({
    destinations: { a: hook },
    builtins: { 'hourly-cost': { above: 50, window: '2h', notify: ['a'] }, 'daily-cost': false, 'low-cache-hit-rate': { enabled: false } },
    rules: [{ name: 'slow-tenant', signal: 'latency_p99_ms', above: 8000, window: '15m', scope: 'tenant', for: '5m' }],
  }));
  const cost = rt.rules.find((r) => r.name === 'hourly-cost')!;
  assert.equal(cost.above, 50);
  assert.equal(cost.window, 7_200_000);
  assert.equal(rt.rules.some((r) => r.name === 'daily-cost' || r.name === 'low-cache-hit-rate'), false);
  const custom = rt.rules.find((r) => r.name === 'slow-tenant')!;
  assert.deepEqual([custom.scope, custom.window, custom.for, custom.builtin], ['tenant', 900_000, 300_000, false]);
});

test('invalid alert config is rejected with the path named', () => {
  const bad = [
    [{ rules: [{ name: 'x', signal: 'error_rate', window: '5m' }] }, /exactly one of above/],
    [{ rules: [{ name: 'x', signal: 'error_rate', above: 1, below: 0 }] }, /exactly one of above/],
    [{ rules: [{ name: 'x', signal: 'nope', above: 1 }] }, /signal/],
    [{ rules: [{ name: 'x', signal: 'requests', above: 1, notify: ['ghost'] }] }, /unknown destination .*ghost/],
    [{ rules: [{ name: 'hourly-cost', signal: 'requests', above: 1 }] }, /is taken/],
    [{ builtins: { 'no-such-rule': false } }, /no built-in rule/],
    [{ destinations: { w: { type: 'webhook', url: 'ftp://x' } } }, /http/],
    [{ destinations: { w: { type: 'webhook', url: 'http://x', secret: 'short' } } }, /16 characters/],
    [{ rules: [{ name: 'x', signal: 'requests', above: 1, window: '10s' }] }, /between/],
    [{ reports: { daily: { at: '25:00' } } }, /HH:MM/],
    [{ unknownKey: 1 }, /unrecognized|Unrecognized/],
  ] as const;
  for (const [input, message] of bad) {
    const r = alertsSchema.safeParse(input);
    assert.equal(r.success, false, JSON.stringify(input));
    assert.match(JSON.stringify(r.error!.issues), message, JSON.stringify(input));
  }
});
