/**
 * `GET /api/gateway/metrics?window=1h|24h|7d|30d`: the JSON summary for UIs, computed from the
 * hourly rollups (whole hours: the window starts at the top of the hour it falls in) —
 * requests, latency percentiles, costs by model/provider/operation/tenant, tokens, cache hit
 * rate and savings, and a monthly cost projection (the window's cost scaled to 30 days).
 * Providers' health is added by the route from the live health report.
 */
import type { AnalyticsStore, UsageRow } from './analytics-store.js';
import { mergeSketch, quantile, type LatencySketch } from './latency-sketch.js';
import { usd } from './usage-view.js';

export const WINDOWS = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type WindowName = keyof typeof WINDOWS;
const MONTH_MS = 30 * 86_400_000;

type Tally = Record<string, number>;

function add(t: Tally, key: string, v: number): void {
  t[key] = (t[key] ?? 0) + v;
}

function usdTally(t: Tally): Tally {
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, usd(v)]));
}

const label = (v: string | null | undefined): string => (v === null || v === undefined || v === '' ? '(none)' : v);

export interface GatewaySummary {
  window: WindowName;
  from: string;
  to: string;
  requests: { total: number; success: number; error: number; byModel: Tally; byProvider: Tally };
  latency: { p50Ms: number | null; p95Ms: number | null; p99Ms: number | null; averageMs: number | null };
  costs: { totalUsd: number; unpricedRequests: number; byModel: Tally; byProvider: Tally; byOperation: Tally; byTenant: Tally };
  tokens: { input: number; output: number; total: number };
  cache: { hits: number; misses: number; hitRate: number | null; savedUsd: number };
  projection: { monthlyCostUsd: number };
}

export function summarize(rows: readonly UsageRow[], window: WindowName, from: number, to: number): GatewaySummary {
  const s = { total: 0, errors: 0, cost: 0, unpriced: 0, tin: 0, tout: 0, hits: 0, misses: 0, saved: 0, latencySum: 0 };
  const byModel: Tally = {}, byProvider: Tally = {}, costModel: Tally = {}, costProvider: Tally = {}, costOperation: Tally = {}, costTenant: Tally = {};
  const sketch: LatencySketch = {};
  for (const r of rows) {
    s.total += r.requests; s.errors += r.errors; s.cost += r.costMicros; s.unpriced += r.unpriced;
    s.tin += r.tokensIn; s.tout += r.tokensOut; s.hits += r.cacheHits; s.misses += r.cacheMisses;
    s.saved += r.savedMicros; s.latencySum += r.latencySumMs;
    const model = r.provider ? `${r.provider}/${label(r.model)}` : label(r.model);
    add(byModel, model, r.requests); add(byProvider, label(r.provider), r.requests);
    add(costModel, model, r.costMicros); add(costProvider, label(r.provider), r.costMicros);
    add(costOperation, label(r.operation), r.costMicros); add(costTenant, label(r.tenant), r.costMicros);
    mergeSketch(sketch, r.latency);
  }
  const lookups = s.hits + s.misses;
  return {
    window, from: new Date(from).toISOString(), to: new Date(to).toISOString(),
    requests: { total: s.total, success: s.total - s.errors, error: s.errors, byModel, byProvider },
    latency: { p50Ms: quantile(sketch, 0.5), p95Ms: quantile(sketch, 0.95), p99Ms: quantile(sketch, 0.99), averageMs: s.total > 0 ? Math.round((s.latencySum / s.total) * 1000) / 1000 : null },
    costs: { totalUsd: usd(s.cost), unpricedRequests: s.unpriced, byModel: usdTally(costModel), byProvider: usdTally(costProvider), byOperation: usdTally(costOperation), byTenant: usdTally(costTenant) },
    tokens: { input: s.tin, output: s.tout, total: s.tin + s.tout },
    cache: { hits: s.hits, misses: s.misses, hitRate: lookups > 0 ? s.hits / lookups : null, savedUsd: usd(s.saved) },
    projection: { monthlyCostUsd: usd(Math.round((s.cost * MONTH_MS) / WINDOWS[window])) },
  };
}

export async function gatewaySummary(store: AnalyticsStore, window: WindowName, now = Date.now()): Promise<GatewaySummary> {
  const from = now - WINDOWS[window];
  const rows = await store.usage({ from, to: now + 1, groupBy: ['provider', 'model', 'tenant', 'operation'], orderBy: 'cost' });
  return summarize(rows, window, from, now);
}
