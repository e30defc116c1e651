/**
 * Passive health of one target, from what the gateway already observes: its breaker state and
 * the error rate of its recent attempts. This is the verdict /health and the dashboard show
 * per provider; routing does not use it (routing skips only open breakers, so a degraded
 * target still serves while it mostly works).
 *
 *   unhealthy  breaker open (the gateway is not sending it traffic)
 *   degraded   breaker half-open (probing), or enough recent samples with a high error rate
 *   healthy    otherwise, including "no recent traffic" (no evidence of trouble)
 *
 * The active verdict of a provider's probe (probeHealth) is combined with the passive one by
 * taking the worse: a probe can only add evidence of trouble, never hide it. One failed probe
 * degrades the provider (a blip), two or more in a row make it unhealthy (its cheapest
 * endpoint keeps failing); a pending or passing probe says nothing against it. A passing
 * probe does not clear open breakers: the model list answering does not prove a model serves.
 */
import type { BreakerStateName } from './breaker-state.js';
import type { ErrorRate } from './error-rate-tracker.js';
import type { ProbeResult } from './provider-prober.js';

export type TargetHealth = 'healthy' | 'degraded' | 'unhealthy';

export interface HealthThresholds {
  /** Error rate at or above which a target is degraded (default 0.5). */
  readonly degradedErrorRate: number;
  /** Fewer recent attempts than this are not judged on their rate (default 10). */
  readonly minSamples: number;
}

export const DEFAULT_HEALTH_THRESHOLDS: HealthThresholds = Object.freeze({ degradedErrorRate: 0.5, minSamples: 10 });

export function assessHealth(breaker: BreakerStateName, recent: ErrorRate, thresholds = DEFAULT_HEALTH_THRESHOLDS): TargetHealth {
  if (breaker === 'open') return 'unhealthy';
  if (breaker === 'half-open') return 'degraded';
  if (recent.samples >= thresholds.minSamples && recent.errorRate >= thresholds.degradedErrorRate) return 'degraded';
  return 'healthy';
}

/** Consecutive probe failures at which a provider is unhealthy rather than degraded. */
export const PROBE_UNHEALTHY_AFTER = 2;

export function probeHealth(probe: ProbeResult | undefined): TargetHealth {
  if (!probe || probe.status !== 'down') return 'healthy';
  return probe.consecutiveFailures >= PROBE_UNHEALTHY_AFTER ? 'unhealthy' : 'degraded';
}
