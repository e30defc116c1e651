/**
 * The public shape of analytics rows: money in USD as a float at the edge (micro-USD inside),
 * times as ISO strings, and latency percentiles read from the merged sketch. Used by the JSON
 * API, GraphQL and the CLI alike, so they all report the same numbers.
 */
import type { UsageRow } from './analytics-store.js';
import { quantile } from './latency-sketch.js';

/** The counted fields pass through unchanged; money, times and latency change shape. */
type Counted = Pick<UsageRow, 'provider' | 'model' | 'tenant' | 'operation' | 'requests' | 'errors' | 'tokensIn' | 'tokensOut' | 'cacheHits' | 'cacheMisses'>;

export interface UsageView extends Counted {
  hour?: string;
  day?: string;
  costUsd: number;
  unpricedRequests: number;
  savedUsd: number;
  latencyAvgMs: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  latencyP99Ms: number | null;
}

export const usd = (micros: number): number => micros / 1_000_000;

export function toUsageView(row: UsageRow): UsageView {
  const view: UsageView = {
    requests: row.requests, errors: row.errors, tokensIn: row.tokensIn, tokensOut: row.tokensOut,
    cacheHits: row.cacheHits, cacheMisses: row.cacheMisses, costUsd: usd(row.costMicros), unpricedRequests: row.unpriced,
    savedUsd: usd(row.savedMicros),
    latencyAvgMs: row.requests > 0 ? Math.round((row.latencySumMs / row.requests) * 1000) / 1000 : null,
    latencyP50Ms: quantile(row.latency, 0.5), latencyP95Ms: quantile(row.latency, 0.95), latencyP99Ms: quantile(row.latency, 0.99),
  };
  const keyed: Partial<UsageView> = {};
  if (row.hour !== undefined) keyed.hour = new Date(row.hour).toISOString();
  if (row.day !== undefined) keyed.day = new Date(row.day).toISOString().slice(0, 10);
  for (const k of ['provider', 'model', 'tenant', 'operation'] as const) if (row[k] !== undefined) keyed[k] = row[k];
  return { ...keyed, ...view };
}
