import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, usageQueryFrom, UsageParamError } from './usage-params.js';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);

test('defaults: the last 24 hours grouped by hour, provider and model, newest first', () => {
  const q = usageQueryFrom({}, NOW);
  assert.equal(q.to, NOW + 1);
  assert.equal(q.from, NOW + 1 - 86_400_000);
  assert.deepEqual(q.groupBy, ['hour', 'provider', 'model']);
  assert.equal(q.orderBy, 'time');
});

test('since, ISO and epoch times, filters and group fields', () => {
  assert.equal(parseDuration('30m'), 1_800_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  assert.equal(parseDuration('7w'), undefined);
  const q = usageQueryFrom({ from: '2026-11-01T00:00:00Z', to: String(NOW), groupBy: 'day, tenant', model: 'm', orderBy: 'cost', limit: '10' }, NOW);
  assert.equal(q.from, Date.UTC(2026, 10, 1));
  assert.equal(q.to, NOW);
  assert.deepEqual(q.groupBy, ['day', 'tenant']);
  assert.deepEqual(q.filter, { model: 'm' });
  assert.equal(q.limit, 10);
});

test('bad values name their parameter', () => {
  const bad: Array<[Record<string, string>, string]> = [
    [{ groupBy: 'user' }, 'groupBy'], [{ since: 'soon' }, 'since'], [{ from: 'yesterday-ish' }, 'from'],
    [{ limit: '0' }, 'limit'], [{ orderBy: 'name' }, 'orderBy'], [{ from: String(NOW + 10), to: String(NOW) }, 'from'],
  ];
  for (const [q, param] of bad) {
    assert.throws(() => usageQueryFrom(q, NOW), (err: unknown) => err instanceof UsageParamError && err.param === param, JSON.stringify(q));
  }
});
