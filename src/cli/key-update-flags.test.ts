import { test } from 'node:test';
import assert from 'node:assert/strict';
import { updateBody } from './key-update-flags.js';
import { UsageError } from './usage-error.js';

test('flags become one edit body; groups are whole, --clear sends null', () => {
  assert.deepEqual(updateBody({ name: 'n', models: 'a, b,', 'per-minute': '5', 'tokens-per-minute': '100', daily: '1.5', label: ['team=x=y'] }), {
    name: 'n', models: ['a', 'b'], rateLimits: { perMinute: 5, tokensPerMinute: 100 }, budget: { daily: 1.5 }, labels: { team: 'x=y' },
  });
  assert.deepEqual(updateBody({ tier: 'low', clear: 'models,rateLimits' }), { budget: { tier: 'low' }, models: null, rateLimits: null });
});

test('contradictions and malformed values are usage errors, before any store is touched', () => {
  for (const v of [{}, { tier: 'low', daily: '1' }, { 'per-day': '' }, { 'per-hour': 'x' }, { label: ['novalue'] }, { clear: 'tenant' }, { tier: 'low', clear: 'budget' }]) {
    assert.throws(() => updateBody(v), UsageError, JSON.stringify(v));
  }
});
