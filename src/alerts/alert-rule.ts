/**
 * What an alert rule is once compiled: a signal measured over a window, compared with one
 * threshold, per scope value (global, or each provider / model / tenant / operation seen),
 * with a minimum duration before firing and a cooldown before firing again. Built-in and
 * custom rules share this one shape, so the engine has a single code path.
 */

export const SIGNALS = [
  'error_rate', 'upstream_429', 'rate_limited', 'requests', 'cost_usd', 'daily_cost_usd',
  'cost_anomaly_ratio', 'breaker_open_minutes', 'budget_exhausted', 'budget_utilization',
  'cache_hit_rate', 'cache_bypass_rate', 'latency_p95_ms', 'latency_p99_ms', 'neurons_daily_ratio',
] as const;

export type Signal = (typeof SIGNALS)[number];
export type Dimension = 'global' | 'provider' | 'model' | 'tenant' | 'operation';
export type Severity = 'critical' | 'warning' | 'info';

export interface RuleMatch {
  readonly provider?: string | undefined;
  readonly model?: string | undefined;
  readonly tenant?: string | undefined;
  readonly operation?: string | undefined;
}

export interface AlertRule {
  readonly name: string;
  readonly signal: Signal;
  readonly builtin: boolean;
  readonly scope: Dimension;
  readonly match: RuleMatch | undefined;
  /** Exactly one of above / below is set. */
  readonly above: number | undefined;
  readonly below: number | undefined;
  readonly window: number;
  /** The condition must hold this long (ms) before the alert fires. */
  readonly for: number;
  /** After resolving, the same alert does not fire again for this long (ms). */
  readonly cooldown: number;
  readonly severity: Severity;
  readonly notify: readonly string[];
  /** Rate signals stay silent below this many requests in the window (no alert on 1 of 1). */
  readonly minRequests: number;
  readonly minHoursRemaining: number;
  readonly minUsd: number;
}

export function breaches(rule: AlertRule, value: number): boolean {
  return rule.above !== undefined ? value > rule.above : value < (rule.below as number);
}

export function threshold(rule: AlertRule): number {
  return (rule.above ?? rule.below) as number;
}
