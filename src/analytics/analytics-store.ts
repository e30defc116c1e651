/**
 * The read side of the hourly rollups, kept apart from the EventStore interface (which stays at
 * five methods): totals and latency sketches over a time range, grouped by any of hour, day,
 * provider, model, tenant and operation, optionally filtered by the same keys. Both log stores
 * implement it with the SQL built here, and pass one contract suite (analytics-store.contract.ts).
 *
 * Ranges are in whole hours: an hour counts when it starts inside [from, to).
 */
import type { LatencySketch } from './latency-sketch.js';

export const GROUP_FIELDS = ['hour', 'day', 'provider', 'model', 'tenant', 'operation'] as const;
export type GroupField = (typeof GROUP_FIELDS)[number];

export interface UsageFilter {
  provider?: string;
  model?: string;
  tenant?: string;
  operation?: string;
}

export interface UsageQuery {
  /** Epoch ms, inclusive (rounded down to its hour). */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  groupBy: readonly GroupField[];
  filter?: UsageFilter;
  /** `time` (newest first; needs hour or day in groupBy), `timeAsc`, `cost` or `requests` (largest first). */
  orderBy?: 'time' | 'timeAsc' | 'cost' | 'requests';
  /** At most 10,000 rows. */
  limit?: number;
}

export interface UsageRow {
  /** Present for the fields grouped by; '' keys read back as null. */
  hour?: number;
  day?: number;
  provider?: string | null;
  model?: string | null;
  tenant?: string | null;
  operation?: string | null;
  requests: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  cacheHits: number;
  cacheMisses: number;
  costMicros: number;
  /** Requests whose price was unknown (not included in costMicros). */
  unpriced: number;
  savedMicros: number;
  latencySumMs: number;
  latency: LatencySketch;
}

export interface AnalyticsStore {
  usage(query: UsageQuery): Promise<UsageRow[]>;
}

export function isAnalyticsStore(store: unknown): store is AnalyticsStore {
  return typeof (store as { usage?: unknown } | null)?.usage === 'function';
}
