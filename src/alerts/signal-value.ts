/**
 * The measured value of a rule's signal, for every scope value the rule currently sees. A
 * value is absent (no entry) when there is too little data to judge — fewer requests than the
 * rule's minimum, no cacheable traffic, no quota, no baseline yet — so a quiet gateway never
 * alerts and an alert whose data disappears resolves.
 */
import type { AlertRule } from './alert-rule.js';
import { GLOBAL, type AlertSignals } from './alert-signals.js';
import { quantile, type SignalSeries, type Totals } from './signal-series.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Reader = (rule: AlertRule, s: SignalSeries, now: number, scope: string, quotas: ReadonlyMap<string, number>) => number | undefined;

function enough(rule: AlertRule, t: Totals): boolean {
  return t.requests > 0 && t.requests >= rule.minRequests;
}

function windowed(f: (t: Totals, rule: AlertRule) => number | undefined): Reader {
  return (rule, s, now) => f(s.window(rule.window, now), rule);
}

const READERS: Partial<Record<AlertRule['signal'], Reader>> = {
  error_rate: windowed((t, r) => (enough(r, t) ? t.errors / t.requests : undefined)),
  upstream_429: windowed((t) => t.upstream429),
  rate_limited: windowed((t) => t.rateLimited),
  budget_exhausted: windowed((t) => t.budgetRejected),
  requests: windowed((t) => t.requests),
  cost_usd: windowed((t) => t.costMicros / 1e6),
  latency_p95_ms: windowed((t, r) => (enough(r, t) ? quantile(t.latency, 0.95) : undefined)),
  latency_p99_ms: windowed((t, r) => (enough(r, t) ? quantile(t.latency, 0.99) : undefined)),
  cache_hit_rate: windowed((t, r) => {
    const n = t.hits + t.misses;
    return n > 0 && n >= r.minRequests ? t.hits / n : undefined;
  }),
  cache_bypass_rate: windowed((t, r) => {
    const n = t.hits + t.misses + t.bypass;
    return n > 0 && n >= r.minRequests ? t.bypass / n : undefined;
  }),
  daily_cost_usd: (rule, s, now) => {
    const hoursLeft = (DAY - (now % DAY)) / HOUR;
    return hoursLeft >= rule.minHoursRemaining ? s.today(now).costMicros / 1e6 : undefined;
  },
  neurons_daily_ratio: (_rule, s, now, scope, quotas) => {
    const allowance = quotas.get(scope);
    return allowance === undefined ? undefined : s.today(now).neurons / allowance;
  },
  cost_anomaly_ratio: (rule, s, now) => {
    const cost = s.window(HOUR, now).costMicros;
    const base = s.baselineMicros(now);
    if (base === undefined || cost / 1e6 < rule.minUsd) return undefined;
    return cost / Math.max(base, 1); // a zero baseline counts as one micro-USD, keeping the ratio finite
  },
};

/** Current values of `rule` by scope value (`*` for global). */
export function measure(rule: AlertRule, signals: AlertSignals, now: number, quotas: ReadonlyMap<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  if (rule.signal === 'breaker_open_minutes') {
    const open = signals.breakerOpenMinutes(now);
    if (rule.scope === 'global') {
      if (open.size > 0) out.set(GLOBAL, Math.max(...open.values()));
    } else {
      for (const [p, m] of open) if (rule.match?.provider === undefined || rule.match.provider === p) out.set(p, m);
    }
    return out;
  }
  if (rule.signal === 'budget_utilization') {
    for (const b of signals.budgets()) {
      const key = rule.scope === 'global' ? GLOBAL : b.scope;
      out.set(key, Math.max(out.get(key) ?? 0, b.ratio));
    }
    return out;
  }
  const read = READERS[rule.signal]!;
  for (const [scope, series] of signals.seriesFor(rule)) {
    const v = read(rule, series, now, scope, quotas);
    if (v !== undefined) out.set(scope, v);
  }
  return out;
}
