/**
 * The built-in alert rules and their default thresholds. Operators tune or disable them under
 * `alerts.builtins.<name>`; the names are stable (they appear in alert history, dedup keys and
 * the exported Prometheus rules).
 */
import type { AlertRule } from './alert-rule.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

function rule(r: Partial<AlertRule> & Pick<AlertRule, 'name' | 'signal' | 'severity'>): AlertRule {
  return Object.freeze({
    builtin: true, scope: 'global', match: undefined, above: undefined, below: undefined, window: 5 * MIN, for: 0,
    cooldown: 15 * MIN, notify: [], minRequests: 0, minHoursRemaining: 0, minUsd: 0, ...r,
  });
}

export const BUILTIN_RULES: readonly AlertRule[] = Object.freeze([
  rule({ name: 'high-error-rate', signal: 'error_rate', severity: 'critical', above: 0.05, window: 5 * MIN, minRequests: 20 }),
  rule({ name: 'upstream-rate-limited', signal: 'upstream_429', severity: 'critical', above: 0, window: 5 * MIN, scope: 'provider' }),
  rule({ name: 'hourly-cost', signal: 'cost_usd', severity: 'critical', above: 5, window: HOUR }),
  rule({ name: 'circuit-breaker-open', signal: 'breaker_open_minutes', severity: 'critical', above: 5, window: MIN, scope: 'provider' }),
  rule({ name: 'budget-exhausted', signal: 'budget_exhausted', severity: 'critical', above: 0, window: 5 * MIN, scope: 'tenant' }),
  rule({ name: 'low-cache-hit-rate', signal: 'cache_hit_rate', severity: 'warning', below: 0.3, window: HOUR, minRequests: 50 }),
  rule({ name: 'high-p95-latency', signal: 'latency_p95_ms', severity: 'warning', above: 5_000, window: 10 * MIN, minRequests: 20 }),
  rule({ name: 'daily-cost', signal: 'daily_cost_usd', severity: 'warning', above: 20, window: MIN, minHoursRemaining: 4 }),
  rule({ name: 'budget-approaching', signal: 'budget_utilization', severity: 'warning', above: 0.8, window: MIN, scope: 'tenant' }),
  rule({ name: 'high-cache-bypass', signal: 'cache_bypass_rate', severity: 'warning', above: 0.1, window: HOUR, minRequests: 50 }),
  rule({ name: 'provider-quota', signal: 'neurons_daily_ratio', severity: 'warning', above: 0.9, window: MIN, scope: 'provider' }),
  rule({ name: 'cost-anomaly', signal: 'cost_anomaly_ratio', severity: 'warning', above: 3, window: HOUR, minUsd: 1 }),
]);
