/**
 * SQL for reading the rollups, shared by SQLite and PostgreSQL (only the placeholder style
 * differs): a grouped SUM over usage_hourly and the matching grouped bucket counts over
 * usage_hourly_latency, then both joined in JavaScript into UsageRows. Group and filter names
 * come from a fixed list, never from input text, so the SQL is a bounded set of statements.
 */
import { GROUP_FIELDS, type GroupField, type UsageQuery, type UsageRow } from './analytics-store.js';
import { HOUR_MS } from './rollup-schema.js';

const DAY_MS = 86_400_000;
const FILTER_KEYS = ['provider', 'model', 'tenant', 'operation'] as const;
export const MAX_USAGE_ROWS = 10_000;

function groupExpr(f: GroupField): string {
  return f === 'day' ? `(hour / ${DAY_MS}) * ${DAY_MS}` : f;
}

function fieldsOf(q: UsageQuery): GroupField[] {
  return GROUP_FIELDS.filter((f) => q.groupBy.includes(f));
}

function where(q: UsageQuery, ph: (n: number) => string): { text: string; params: unknown[] } {
  const params: unknown[] = [Math.floor(q.from / HOUR_MS) * HOUR_MS, q.to];
  const parts = [`hour >= ${ph(1)}`, `hour < ${ph(2)}`];
  for (const k of FILTER_KEYS) {
    const v = q.filter?.[k];
    if (v === undefined) continue;
    params.push(v);
    parts.push(`${k} = ${ph(params.length)}`);
  }
  return { text: parts.join(' AND '), params };
}

function orderOf(q: UsageQuery, fields: GroupField[]): string {
  const time = fields.includes('hour') ? 'hour' : fields.includes('day') ? 'day' : undefined;
  const keys = fields.map((f) => `${f}`);
  if (q.orderBy === 'cost') return ['cost_micros DESC', ...keys].join(', ');
  if (q.orderBy === 'requests') return ['requests DESC', ...keys].join(', ');
  if (q.orderBy === 'timeAsc' && time) return [`${time} ASC`, ...keys.filter((k) => k !== time)].join(', ');
  return [time ? `${time} DESC` : 'cost_micros DESC', ...keys.filter((k) => k !== time)].join(', ');
}

export function totalsSql(table: string, q: UsageQuery, ph: (n: number) => string): { text: string; params: unknown[] } {
  const fields = fieldsOf(q);
  const w = where(q, ph);
  const select = fields.map((f) => `${groupExpr(f)} AS ${f}`);
  const sums = ['requests', 'errors', 'tokens_in', 'tokens_out', 'cache_hits', 'cache_misses', 'cost_micros', 'unpriced', 'saved_micros', 'latency_sum_ms'].map((c) => `sum(${c}) AS ${c}`);
  const limit = Math.max(1, Math.min(q.limit ?? MAX_USAGE_ROWS, MAX_USAGE_ROWS));
  w.params.push(limit);
  const group = fields.length > 0 ? ` GROUP BY ${fields.map(groupExpr).join(', ')}` : '';
  return { text: `SELECT ${[...select, ...sums].join(', ')} FROM ${table} WHERE ${w.text}${group} HAVING sum(requests) > 0 ORDER BY ${orderOf(q, fields)} LIMIT ${ph(w.params.length)}`, params: w.params };
}

export function latencySql(table: string, q: UsageQuery, ph: (n: number) => string): { text: string; params: unknown[] } {
  const fields = fieldsOf(q);
  const w = where(q, ph);
  const select = fields.map((f) => `${groupExpr(f)} AS ${f}`);
  const group = [...fields.map(groupExpr), 'bucket'].join(', ');
  return { text: `SELECT ${[...select, 'bucket', 'sum(count) AS count'].join(', ')} FROM ${table} WHERE ${w.text} GROUP BY ${group}`, params: w.params };
}

function keyOf(row: Record<string, unknown>, fields: GroupField[]): string {
  return JSON.stringify(fields.map((f) => (f === 'hour' || f === 'day' ? Number(row[f]) : String(row[f]))));
}

const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** Joins totals and bucket counts (as the driver returned them) into UsageRows. */
export function toUsageRows(q: UsageQuery, totals: Array<Record<string, unknown>>, buckets: Array<Record<string, unknown>>): UsageRow[] {
  const fields = fieldsOf(q);
  const byKey = new Map<string, UsageRow>();
  const rows = totals.map((t) => {
    const row: UsageRow = {
      requests: num(t.requests), errors: num(t.errors), tokensIn: num(t.tokens_in), tokensOut: num(t.tokens_out),
      cacheHits: num(t.cache_hits), cacheMisses: num(t.cache_misses), costMicros: num(t.cost_micros), unpriced: num(t.unpriced),
      savedMicros: num(t.saved_micros), latencySumMs: num(t.latency_sum_ms), latency: {},
    };
    for (const f of fields) {
      if (f === 'hour' || f === 'day') row[f] = Number(t[f]);
      else row[f] = t[f] === '' || t[f] === null ? null : String(t[f]);
    }
    byKey.set(keyOf(t, fields), row);
    return row;
  });
  for (const b of buckets) {
    const row = byKey.get(keyOf(b, fields));
    if (row) row.latency[Number(b.bucket)] = (row.latency[Number(b.bucket)] ?? 0) + num(b.count);
  }
  return rows;
}
