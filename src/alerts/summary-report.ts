/**
 * Daily and weekly summary reports: requests, errors, cost (against a budget when one is
 * known), cache savings, the most expensive operations and the most frequent errors of a
 * period, read from the request log (a streaming scan, never the whole period in memory) and
 * worded as a Notification for any destination.
 */
import type { EventStore } from '../stores/events/event-store.js';
import type { Notification } from './alert-message.js';

export interface ReportFigures {
  from: number;
  to: number;
  requests: number;
  errors: number;
  costMicros: number;
  savedMicros: number;
  hits: number;
  misses: number;
  topOperations: Array<{ operation: string; requests: number; costMicros: number }>;
  topErrors: Array<{ code: string; count: number }>;
}

const TOP = 5;

export async function collectReport(store: EventStore, from: number, to: number): Promise<ReportFigures> {
  const f: ReportFigures = { from, to, requests: 0, errors: 0, costMicros: 0, savedMicros: 0, hits: 0, misses: 0, topOperations: [], topErrors: [] };
  const ops = new Map<string, { requests: number; costMicros: number }>();
  const errors = new Map<string, number>();
  for await (const e of store.scan({ from, to })) {
    f.requests++;
    if (e.status >= 400) f.errors++;
    f.costMicros += e.costMicros ?? 0;
    f.savedMicros += e.savedMicros;
    if (e.cacheStatus === 'HIT') f.hits++;
    else if (e.cacheStatus === 'MISS') f.misses++;
    const op = ops.get(e.operation ?? '(none)') ?? { requests: 0, costMicros: 0 };
    op.requests++;
    op.costMicros += e.costMicros ?? 0;
    ops.set(e.operation ?? '(none)', op);
    if (e.errorCode) errors.set(e.errorCode, (errors.get(e.errorCode) ?? 0) + 1);
  }
  f.topOperations = [...ops].map(([operation, v]) => ({ operation, ...v })).sort((a, b) => b.costMicros - a.costMicros || b.requests - a.requests).slice(0, TOP);
  f.topErrors = [...errors].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count).slice(0, TOP);
  return f;
}

const usd = (micros: number): string => `$${(micros / 1e6).toFixed(2)}`;
const pct = (a: number, b: number): string => (b > 0 ? `${((a / b) * 100).toFixed(1)}%` : 'n/a');

export function reportNotification(period: 'daily' | 'weekly', f: ReportFigures, link: string | undefined, budgetMicros?: number): Notification {
  const lines = [
    `Period: ${new Date(f.from).toISOString()} – ${new Date(f.to).toISOString()}`,
    `Requests: ${f.requests}   errors: ${f.errors} (${pct(f.errors, f.requests)})`,
    `Cost: ${usd(f.costMicros)}${budgetMicros ? ` of ${usd(budgetMicros)} budget (${pct(f.costMicros, budgetMicros)})` : ''}`,
    `Cache: hit rate ${pct(f.hits, f.hits + f.misses)}, saved ${usd(f.savedMicros)}`,
    'Top operations by cost:',
    ...(f.topOperations.length ? f.topOperations.map((o) => `  ${o.operation}: ${usd(o.costMicros)} over ${o.requests} requests`) : ['  (none)']),
    'Most frequent errors:',
    ...(f.topErrors.length ? f.topErrors.map((e) => `  ${e.code}: ${e.count}`) : ['  (none)']),
  ];
  if (link) lines.push(link);
  return {
    kind: 'report', severity: 'info', action: 'trigger', link,
    title: `Tollgate ${period} report: ${f.requests} requests, ${usd(f.costMicros)}`,
    body: lines.join('\n'),
    dedupKey: `tollgate:report:${period}:${f.to}`,
    details: { period, ...f },
  };
}
