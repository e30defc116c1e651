/**
 * Sums and reshapes analytics rows for the views: totals over a range (latency averaged by
 * request count, money summed in micro-USD so float noise does not creep into the shown
 * figures), and rows grouped by time bucket × one dimension into chart series.
 */
import type { UsageRow } from './api.js';
import { bucketLabel, bucketStarts, rowTime, type Range } from './range.js';

export interface Totals {
  requests: number;
  errors: number;
  costMicros: number;
  savedMicros: number;
  hits: number;
  misses: number;
  tokensIn: number;
  tokensOut: number;
  latencyAvgMs: number | null;
}

export const micros = (usd: number): number => Math.round(usd * 1e6);

export function totals(rows: UsageRow[]): Totals {
  const t: Totals = { requests: 0, errors: 0, costMicros: 0, savedMicros: 0, hits: 0, misses: 0, tokensIn: 0, tokensOut: 0, latencyAvgMs: null };
  let latencySum = 0;
  for (const r of rows) {
    t.requests += r.requests;
    t.errors += r.errors;
    t.costMicros += micros(r.costUsd);
    t.savedMicros += micros(r.savedUsd);
    t.hits += r.cacheHits;
    t.misses += r.cacheMisses;
    t.tokensIn += r.tokensIn;
    t.tokensOut += r.tokensOut;
    latencySum += r.latencyAvgMs * r.requests;
  }
  t.latencyAvgMs = t.requests > 0 ? latencySum / t.requests : null;
  return t;
}

/** Rows with the same value of `key` merged into one Totals each, largest request count first. */
export function byKey(rows: UsageRow[], key: (r: UsageRow) => string): Array<{ key: string; rows: UsageRow[]; t: Totals }> {
  const groups = new Map<string, UsageRow[]>();
  for (const r of rows) {
    const k = key(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups].map(([k, rs]) => ({ key: k, rows: rs, t: totals(rs) })).sort((a, b) => b.t.requests - a.t.requests);
}

export interface TimeSeries {
  categories: string[];
  series: Array<{ name: string; data: number[] }>;
}

/** One series per value of `dim`, one point per time bucket (zero where nothing happened). */
export function overTime(range: Range, rows: UsageRow[], dim: (r: UsageRow) => string, value: (r: UsageRow) => number): TimeSeries {
  const starts = bucketStarts(range);
  const index = new Map(starts.map((t, i) => [t, i]));
  const series = new Map<string, number[]>();
  for (const r of rows) {
    const i = index.get(rowTime(r));
    if (i === undefined) continue;
    const name = dim(r);
    let data = series.get(name);
    if (!data) series.set(name, (data = starts.map(() => 0)));
    data[i] += value(r);
  }
  return { categories: starts.map((t) => bucketLabel(range, t)), series: [...series].map(([name, data]) => ({ name, data })) };
}

export const label = (v: string | null | undefined): string => (v === undefined || v === null || v === '' ? '(none)' : v);
