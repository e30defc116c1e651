/**
 * The contract every log store's analytics side must pass: rollups maintained with each append
 * equal the totals of the rows stored (by every grouping), a replayed batch is not counted
 * twice, opted-out events are not counted, filters and ordering work, percentiles come from the
 * merged sketch, and retention prunes whole hours. Backend test files call
 * runAnalyticsContract with a factory that opens a fresh, empty store.
 *
 * Expected values are computed in JavaScript from the events appended (rollup-batch.ts).
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageEvent } from '../metering/usage-event.js';
import type { EventStore } from '../stores/events/event-store.js';
import { FIXTURE_TIME, makeEvent } from '../stores/events/event-fixtures.js';
import type { AnalyticsStore, GroupField, UsageRow } from './analytics-store.js';
import { quantile } from './latency-sketch.js';
import { rollupBatch } from './rollup-batch.js';
import { HOUR_MS } from './rollup-schema.js';

type Store = EventStore & AnalyticsStore;

const H0 = Math.floor(FIXTURE_TIME / HOUR_MS) * HOUR_MS;

/** 300 events over 5 hours, 3 providers/models, 2 tenants + none, 3 operations, mixed outcomes. */
export function analyticsEvents(count = 300, prefix = 'a'): UsageEvent[] {
  const models: Array<[string, string]> = [['openai', 'gpt-4o'], ['anthropic', 'claude-sonnet-4-5'], ['openai', 'gpt-4o-mini']];
  return Array.from({ length: count }, (_, i) => makeEvent({
    requestId: `${prefix}-${String(i).padStart(5, '0')}`,
    time: H0 + (i % 5) * HOUR_MS + i * 997,
    provider: models[i % 3][0],
    model: models[i % 3][1],
    tenant: ['acme', 'globex', null][i % 3 === 0 ? 2 : i % 2],
    operation: ['chat', 'summarize', null][i % 3],
    status: i % 11 === 0 ? 502 : 200,
    cacheStatus: (['HIT', 'MISS', 'BYPASS', null] as const)[i % 4],
    tokensIn: 100 + i,
    tokensOut: 10 + (i % 17),
    costMicros: i % 13 === 0 ? null : 1000 + i * 3,
    savedMicros: i % 4 === 0 ? 500 : 0,
    latencyMs: 5 + ((i * 37) % 400) * 2.5,
  }));
}

function totalsOf(rows: readonly Pick<UsageRow, 'requests' | 'errors' | 'tokensIn' | 'tokensOut' | 'cacheHits' | 'cacheMisses' | 'costMicros' | 'unpriced' | 'savedMicros'>[]) {
  const sum = { requests: 0, errors: 0, tokensIn: 0, tokensOut: 0, cacheHits: 0, cacheMisses: 0, costMicros: 0, unpriced: 0, savedMicros: 0 };
  for (const r of rows) for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += r[k];
  return sum;
}

function expectedTotals(events: readonly UsageEvent[]) {
  return totalsOf(rollupBatch(events).map((r) => ({
    requests: r.requests, errors: r.errors, tokensIn: r.tokens_in, tokensOut: r.tokens_out, cacheHits: r.cache_hits,
    cacheMisses: r.cache_misses, costMicros: r.cost_micros, unpriced: r.unpriced, savedMicros: r.saved_micros,
  })));
}

const RANGE = { from: H0, to: H0 + 24 * HOUR_MS };

export function runAnalyticsContract(name: string, open: () => Promise<Store>): void {
  describe(`analytics contract: ${name}`, () => {
    let store: Store;
    beforeEach(async () => { store = await open(); });
    afterEach(async () => { await store.close(); });

    test('rollup totals equal the sum of the stored rows, under every grouping', async () => {
      const events = analyticsEvents();
      assert.equal(await store.append(events.slice(0, 120)), 120);
      assert.equal(await store.append(events.slice(120)), 180);
      const want = expectedTotals(events);
      const groupings: GroupField[][] = [[], ['hour'], ['day'], ['provider', 'model'], ['tenant'], ['operation'], ['hour', 'provider', 'model', 'tenant', 'operation']];
      for (const groupBy of groupings) {
        const rows = await store.usage({ ...RANGE, groupBy });
        assert.deepEqual(totalsOf(rows), want, `groupBy ${groupBy.join(',') || '(none)'}`);
      }
      const byHour = await store.usage({ ...RANGE, groupBy: ['hour'], orderBy: 'time' });
      assert.deepEqual(byHour.map((r) => r.hour), [4, 3, 2, 1, 0].map((h) => H0 + h * HOUR_MS));
    });

    test('a replayed batch and opted-out events are not counted', async () => {
      const events = analyticsEvents(50, 'r');
      await store.append(events);
      assert.equal(await store.append(events), 0);
      await store.append([makeEvent({ requestId: 'r-optout', collect: false, time: H0 })]);
      const [all] = await store.usage({ ...RANGE, groupBy: [] });
      assert.equal(all.requests, 50);
      assert.deepEqual(totalsOf([all]), expectedTotals(events));
    });

    test('groups, filters, null keys and limit', async () => {
      const events = analyticsEvents();
      await store.append(events);
      const rows = await store.usage({ ...RANGE, groupBy: ['provider', 'model'], orderBy: 'requests' });
      assert.equal(rows.length, 3);
      assert.deepEqual(rows.map((r) => r.requests), [100, 100, 100]);
      const mini = await store.usage({ ...RANGE, groupBy: ['model'], filter: { provider: 'openai', model: 'gpt-4o-mini' } });
      assert.equal(mini.length, 1);
      assert.deepEqual(totalsOf(mini), expectedTotals(events.filter((e) => e.model === 'gpt-4o-mini')));
      const tenants = await store.usage({ ...RANGE, groupBy: ['tenant'], orderBy: 'requests' });
      assert.deepEqual(new Set(tenants.map((r) => r.tenant)), new Set(['acme', 'globex', null]));
      assert.equal((await store.usage({ ...RANGE, groupBy: ['hour', 'model'], limit: 4 })).length, 4);
      const late = await store.usage({ from: H0 + 3 * HOUR_MS, to: H0 + 4 * HOUR_MS, groupBy: [] });
      assert.deepEqual(totalsOf(late), expectedTotals(events.filter((e) => e.time >= H0 + 3 * HOUR_MS && e.time < H0 + 4 * HOUR_MS)));
    });

    test('percentiles from the merged latency sketch are within a bucket of the exact values', async () => {
      const events = analyticsEvents();
      await store.append(events);
      const [all] = await store.usage({ ...RANGE, groupBy: [] });
      const sorted = events.map((e) => e.latencyMs).sort((a, b) => a - b);
      assert.equal(Object.values(all.latency).reduce((a, b) => a + b, 0), events.length);
      for (const q of [0.5, 0.95, 0.99]) {
        const exact = sorted[Math.ceil(q * sorted.length) - 1];
        const est = quantile(all.latency, q)!;
        assert.ok(Math.abs(est - exact) / exact < 0.2, `p${q * 100}: ${est} vs ${exact}`);
      }
      assert.ok(Math.abs(all.latencySumMs - sorted.reduce((a, b) => a + b, 0)) < 1e-6);
    });

    test('retention prunes whole hours of rollups with the rows', async () => {
      await store.append(analyticsEvents());
      await store.prune(H0 + 2 * HOUR_MS + 1);
      const hours = await store.usage({ ...RANGE, groupBy: ['hour'], orderBy: 'time' });
      assert.deepEqual(hours.map((r) => r.hour), [4, 3, 2].map((h) => H0 + h * HOUR_MS));
    });
  });
}
