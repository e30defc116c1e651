/**
 * Human wording of alerts and reports, shared by every destination so Slack, email and
 * PagerDuty say the same thing: what fired, for which scope, the measured number against its
 * threshold, since when, and where to look. Numbers are formatted by signal (a rate as a
 * percentage, money in USD, latency in ms).
 */
import type { Signal } from './alert-rule.js';
import type { AlertTransition } from './alert-lifecycle.js';

export interface Notification {
  kind: 'alert' | 'report' | 'test';
  /** One line: used as Slack text, email subject, PagerDuty summary. */
  title: string;
  /** Several lines of plain text with the numbers. */
  body: string;
  severity: 'critical' | 'warning' | 'info';
  /** Dedup key for destinations that support one (PagerDuty). */
  dedupKey: string;
  /** trigger or resolve, for destinations with incident state. */
  action: 'trigger' | 'resolve';
  /** Structured data for machine destinations (webhook, PagerDuty custom details). */
  details: Record<string, unknown>;
  link: string | undefined;
}

export function formatValue(signal: Signal, v: number): string {
  if (!Number.isFinite(v)) return '∞';
  switch (signal) {
    case 'error_rate': case 'cache_hit_rate': case 'cache_bypass_rate': case 'budget_utilization': case 'neurons_daily_ratio':
      return `${(v * 100).toFixed(1)}%`;
    case 'cost_usd': case 'daily_cost_usd':
      return `$${v.toFixed(2)}`;
    case 'latency_p95_ms': case 'latency_p99_ms':
      return `${Math.round(v)} ms`;
    case 'breaker_open_minutes':
      return `${v.toFixed(1)} min`;
    case 'cost_anomaly_ratio':
      return `${v.toFixed(1)}× baseline`;
    default:
      return String(Math.round(v * 100) / 100);
  }
}

export function alertNotification(t: AlertTransition, link: string | undefined): Notification {
  const where = t.scope === '*' ? '' : ` (${t.scope})`;
  const head = t.state === 'firing' ? `[${t.severity.toUpperCase()}] ${t.rule}${where} is firing` : `[RESOLVED] ${t.rule}${where}`;
  const lines = [
    `${t.signal} = ${formatValue(t.signal, t.value)} (threshold: ${t.comparison} ${formatValue(t.signal, t.threshold)})`,
    `since ${new Date(t.since).toISOString()}${t.state === 'resolved' ? `, resolved ${new Date(t.at).toISOString()}` : ''}`,
  ];
  if (link) lines.push(link);
  return {
    kind: 'alert', title: head, body: lines.join('\n'), severity: t.severity, dedupKey: `tollgate:${t.key}`,
    action: t.state === 'firing' ? 'trigger' : 'resolve', link,
    details: { rule: t.rule, scope: t.scope, state: t.state, signal: t.signal, value: t.value, threshold: t.threshold, comparison: t.comparison, since: t.since, at: t.at },
  };
}

export function testNotification(link: string | undefined): Notification {
  return {
    kind: 'test', title: '[TEST] Tollgate alert destination check', severity: 'info', dedupKey: `tollgate:test:${Date.now()}`,
    action: 'trigger', link, body: ['This is a sample alert sent by `tollgate alerts test`.', ...(link ? [link] : [])].join('\n'),
    details: { rule: 'test', state: 'firing' },
  };
}
