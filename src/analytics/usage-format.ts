/**
 * Renders analytics rows for people and for export: a readable table (cli-table3) with the
 * columns that matter at a glance, or CSV / JSON with every field. Used by `tollgate analytics`.
 */
import Table from 'cli-table3';
import { csvCell } from '../http/log-export.js';
import type { UsageView } from './usage-view.js';

export type UsageFormat = 'table' | 'csv' | 'json';

const KEY_FIELDS = ['day', 'hour', 'provider', 'model', 'tenant', 'operation'] as const;
const ALL_FIELDS: Array<keyof UsageView> = [...KEY_FIELDS, 'requests', 'errors', 'tokensIn', 'tokensOut', 'cacheHits', 'cacheMisses',
  'costUsd', 'unpricedRequests', 'savedUsd', 'latencyAvgMs', 'latencyP50Ms', 'latencyP95Ms', 'latencyP99Ms'];

function keysPresent(rows: readonly UsageView[]): Array<keyof UsageView> {
  return KEY_FIELDS.filter((k) => rows.some((r) => k in r));
}

const money = (usd: number): string => `$${usd.toFixed(usd !== 0 && Math.abs(usd) < 0.01 ? 6 : Math.abs(usd) < 100 ? 4 : 2)}`;
const ms = (v: number | null): string => (v === null ? '—' : `${Math.round(v)} ms`);

function table(rows: readonly UsageView[]): string {
  const keys = keysPresent(rows);
  const t = new Table({ head: [...keys, 'requests', 'errors', 'tokens in', 'tokens out', 'cost', 'cache hit', 'p50', 'p95'], style: { head: [], border: [] } });
  const total = { requests: 0, errors: 0, tokensIn: 0, tokensOut: 0, costUsd: 0, hits: 0, lookups: 0 };
  for (const r of rows) {
    const lookups = r.cacheHits + r.cacheMisses;
    t.push([...keys.map((k) => String(r[k] ?? '(none)')), r.requests, r.errors, r.tokensIn, r.tokensOut, money(r.costUsd),
      lookups ? `${Math.round((100 * r.cacheHits) / lookups)}%` : '—', ms(r.latencyP50Ms), ms(r.latencyP95Ms)]);
    total.requests += r.requests; total.errors += r.errors; total.tokensIn += r.tokensIn; total.tokensOut += r.tokensOut;
    total.costUsd += r.costUsd; total.hits += r.cacheHits; total.lookups += lookups;
  }
  t.push([...keys.map((_, i) => (i === 0 ? 'total' : '')), total.requests, total.errors, total.tokensIn, total.tokensOut, money(total.costUsd),
    total.lookups ? `${Math.round((100 * total.hits) / total.lookups)}%` : '—', '', '']);
  return `${t.toString()}\n`;
}

function csv(rows: readonly UsageView[]): string {
  const fields = [...keysPresent(rows), ...ALL_FIELDS.filter((f) => !(KEY_FIELDS as readonly string[]).includes(f))];
  const lines = [fields.join(','), ...rows.map((r) => fields.map((f) => csvCell(r[f] ?? '')).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

export function formatUsage(rows: readonly UsageView[], format: UsageFormat): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  if (format === 'csv') return csv(rows);
  return rows.length === 0 ? 'no usage in this range\n' : table(rows);
}
