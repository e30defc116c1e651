/**
 * Every built-in rule fires on synthetic traffic that crosses it, stays silent below it, and
 * resolves when traffic recovers. Time is injected; events go straight into the signals.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../stores/events/event-fixtures.js';
import type { UsageEvent } from '../metering/usage-event.js';
import { alertsSchema, compileAlerts } from './alert-config.js';
import { AlertEngine } from './alert-engine.js';
import { MemoryAlertHistory } from './alert-history-store.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
// A Monday, 09:00 UTC: plenty of the day left for the daily-cost rule.
const T0 = Date.UTC(2026, 10, 23, 9, 0, 0);

function setup(extra: Record<string, unknown> = {}) {
  let now = T0;
  const config = compileAlerts(alertsSchema.parse({ quotas: [{ provider: 'edge', neuronsPerDay: 1000 }], ...extra }));
  const history = new MemoryAlertHistory();
  const engine = new AlertEngine(config, { history, clock: () => now });
  const feed = (n: number, o: Partial<UsageEvent> = {}): void => {
    engine.signals.observe(Array.from({ length: n }, (_, i) => makeEvent({ requestId: `r${now}-${i}`, time: now, tenant: 'acme', costMicros: 0, ...o })));
  };
  const advance = (ms: number): void => { now += ms; };
  const fired = async (): Promise<string[]> => (await engine.evaluate(now)).map((t) => `${t.state}:${t.rule}:${t.scope}`);
  return { engine, history, feed, advance, fired, now: () => now };
}

interface Case {
  rule: string;
  scope: string;
  below(f: ReturnType<typeof setup>): void;
  cross(f: ReturnType<typeof setup>): void;
}

const CASES: Case[] = [
  { rule: 'high-error-rate', scope: '*', below: (f) => { f.feed(96); f.feed(4, { status: 502, errorCode: 'upstream_server_error' }); }, cross: (f) => f.feed(10, { status: 502, errorCode: 'upstream_server_error' }) },
  { rule: 'upstream-rate-limited', scope: 'openai', below: (f) => f.feed(50), cross: (f) => f.feed(1, { status: 429, errorCode: 'upstream_rate_limited' }) },
  { rule: 'hourly-cost', scope: '*', below: (f) => f.feed(49, { costMicros: 100_000 }), cross: (f) => f.feed(2, { costMicros: 100_000 }) },
  { rule: 'budget-exhausted', scope: 'acme', below: (f) => f.feed(10), cross: (f) => f.feed(1, { status: 402, errorCode: 'budget_exceeded' }) },
  { rule: 'low-cache-hit-rate', scope: '*', below: (f) => { f.feed(40, { cacheStatus: 'HIT' }); f.feed(60, { cacheStatus: 'MISS' }); }, cross: (f) => f.feed(100, { cacheStatus: 'MISS' }) },
  { rule: 'high-p95-latency', scope: '*', below: (f) => f.feed(100, { latencyMs: 800 }), cross: (f) => f.feed(20, { latencyMs: 9_000 }) },
  { rule: 'daily-cost', scope: '*', below: (f) => f.feed(4, { costMicros: 4_000_000 }), cross: (f) => f.feed(2, { costMicros: 4_000_000 }) },
  { rule: 'high-cache-bypass', scope: '*', below: (f) => { f.feed(95, { cacheStatus: 'HIT' }); f.feed(5, { cacheStatus: 'BYPASS' }); }, cross: (f) => f.feed(20, { cacheStatus: 'BYPASS' }) },
  { rule: 'provider-quota', scope: 'edge', below: (f) => f.feed(8, { provider: 'edge', neurons: 100 }), cross: (f) => f.feed(2, { provider: 'edge', neurons: 100 }) },
];

for (const c of CASES) {
  test(`built-in ${c.rule}: silent below, fires when crossed, resolves on recovery`, async () => {
    // Cost rules are isolated from each other so one case's traffic cannot trip another.
    const f = setup({ builtins: c.rule === 'daily-cost' ? { 'hourly-cost': false, 'cost-anomaly': false } : {} });
    c.below(f);
    assert.deepEqual((await f.fired()).filter((s) => s.includes(c.rule)), [], 'below the threshold');
    c.cross(f);
    assert.deepEqual((await f.fired()).filter((s) => s.includes(c.rule)), [`firing:${c.rule}:${c.scope}`]);
    assert.deepEqual((await f.fired()).filter((s) => s.includes(c.rule)), [], 'a firing alert is not reported twice');
    // Recovery: the window (or the day) passes with healthy traffic.
    f.advance(c.rule === 'daily-cost' || c.rule === 'provider-quota' ? 24 * HOUR : 2 * HOUR);
    f.feed(200, { cacheStatus: 'HIT', provider: c.rule === 'provider-quota' ? 'edge' : 'openai' });
    assert.deepEqual((await f.fired()).filter((s) => s.includes(c.rule)), [`resolved:${c.rule}:${c.scope}`]);
    const stored = await f.history.list({ limit: 10, rule: c.rule });
    assert.deepEqual(stored.map((t) => t.state), ['resolved', 'firing']);
  });
}

test('built-in circuit-breaker-open fires only after the breaker stayed open N minutes', async () => {
  const f = setup();
  f.engine.signals.breakerChanged('openai/gpt-4o', 'open', f.now());
  f.advance(4 * MIN);
  assert.deepEqual(await f.fired(), []);
  f.engine.signals.breakerChanged('openai/gpt-4o', 'half-open', f.now()); // a probe is still "not closed"
  f.advance(2 * MIN);
  assert.deepEqual(await f.fired(), ['firing:circuit-breaker-open:openai']);
  f.engine.signals.breakerChanged('openai/gpt-4o', 'closed', f.now());
  assert.deepEqual(await f.fired(), ['resolved:circuit-breaker-open:openai']);
});

test('built-in budget-approaching reads the budget source at 80%', async () => {
  const f = setup();
  let ratio = 0.5;
  f.engine.signals.budgetSource = () => [{ scope: 'acme', ratio }];
  assert.deepEqual(await f.fired(), []);
  ratio = 0.85;
  assert.deepEqual(await f.fired(), ['firing:budget-approaching:acme']);
  ratio = 0.1; // a new window began
  assert.deepEqual(await f.fired(), ['resolved:budget-approaching:acme']);
});

test('built-in cost-anomaly compares with the same hour of previous weeks', async () => {
  const f = setup({ builtins: { 'hourly-cost': false } });
  // Week 1: $0.50 an hour for the whole week, so every hour-of-week slot has a baseline.
  for (let h = 0; h < 168; h++) {
    f.feed(1, { costMicros: 500_000 });
    f.advance(HOUR);
  }
  f.feed(1, { costMicros: 1_000_000 }); // $1.00: 2× baseline, below the 3× threshold
  assert.deepEqual(await f.fired(), []);
  f.feed(1, { costMicros: 1_000_000 }); // $2.00 within the hour: 4×
  assert.deepEqual(await f.fired(), ['firing:cost-anomaly:*']);
});

test('custom rules: scope per tenant, match filter, for and cooldown', async () => {
  const f = setup({
    builtins: Object.fromEntries(['high-error-rate', 'upstream-rate-limited', 'hourly-cost', 'budget-exhausted', 'low-cache-hit-rate', 'high-p95-latency', 'daily-cost', 'high-cache-bypass', 'cost-anomaly'].map((n) => [n, false])),
    rules: [{ name: 'tenant-burst', signal: 'requests', above: 5, window: '1m', scope: 'tenant', match: { operation: 'chat' }, for: '2m', cooldown: '10m' }],
  });
  f.feed(10, { tenant: 'acme', operation: 'chat' });
  f.feed(10, { tenant: 'beta', operation: 'other' }); // filtered out by match
  assert.deepEqual(await f.fired(), [], 'pending: must hold for 2 minutes');
  f.advance(2 * MIN);
  f.feed(10, { tenant: 'acme', operation: 'chat' });
  assert.deepEqual(await f.fired(), ['firing:tenant-burst:acme']);
  f.advance(2 * MIN);
  assert.deepEqual(await f.fired(), ['resolved:tenant-burst:acme']);
  f.feed(10, { tenant: 'acme', operation: 'chat' });
  f.advance(3 * MIN - 1); // held 3 min, but within the 10 min cooldown
  f.feed(10, { tenant: 'acme', operation: 'chat' });
  assert.deepEqual(await f.fired(), []);
  f.advance(8 * MIN);
  f.feed(10, { tenant: 'acme', operation: 'chat' });
  assert.deepEqual(await f.fired(), ['firing:tenant-burst:acme'], 'fires again once the cooldown passed');
});

test('a reload keeps firing state of rules that still exist (no re-page)', async () => {
  const f = setup();
  f.feed(1, { status: 429, errorCode: 'upstream_rate_limited' });
  assert.deepEqual(await f.fired(), ['firing:upstream-rate-limited:openai']);
  f.engine.configure(compileAlerts(alertsSchema.parse({ builtins: { 'hourly-cost': { above: 100 } } })));
  f.feed(1, { status: 429, errorCode: 'upstream_rate_limited' });
  assert.deepEqual(await f.fired(), []);
  assert.equal(f.engine.firing().length, 1);
});
