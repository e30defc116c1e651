/**
 * The resilience state that outlives a request and a config reload: circuit breakers, latency
 * and error-rate trackers, the retry budget, and the per-provider caps on upstream calls. One per gateway process (breakers become
 * shareable through Redis later); the request path reads it through the RequestContext.
 */
import type { BreakerConfig, BreakerStateName } from './breaker-state.js';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker.js';
import { ErrorRateTracker } from './error-rate-tracker.js';
import { LatencyTracker } from './latency-tracker.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';
import { RetryBudget } from './retry-budget.js';
import { assessHealth, type TargetHealth } from './target-health.js';
import { ProviderSlots } from '../upstream/provider-slots.js';

export interface ResilienceRuntime {
  readonly breaker: CircuitBreaker;
  readonly latency: LatencyTracker;
  readonly errors: ErrorRateTracker;
  readonly budget: RetryBudget;
  /** In-flight and queued upstream calls per provider (maxConcurrent / maxQueued). */
  readonly upstreamSlots: ProviderSlots;
  /** Target ids that took traffic recently (bounded), for health reporting. */
  readonly seen: Set<string>;
  random(): number;
}

const MAX_SEEN = 1024;

/** Remembers a target for /health; the oldest is forgotten past MAX_SEEN. */
export function markSeen(rt: ResilienceRuntime, id: string): void {
  if (rt.seen.has(id)) return;
  if (rt.seen.size >= MAX_SEEN) rt.seen.delete(rt.seen.values().next().value as string);
  rt.seen.add(id);
}

export interface TargetStatus {
  id: string;
  breaker: BreakerStateName;
  health: TargetHealth;
  errorRate: number;
  samples: number;
  latencyMs: number | undefined;
}

export function createResilienceRuntime(config: BreakerConfig, ratio: number, onTransition?: (t: BreakerTransition) => void): ResilienceRuntime {
  return {
    breaker: new CircuitBreaker(new MemoryBreakerStore(), { config, onTransition }),
    latency: new LatencyTracker(),
    errors: new ErrorRateTracker(),
    budget: new RetryBudget({ ratio }),
    upstreamSlots: new ProviderSlots(),
    seen: new Set(),
    random: Math.random,
  };
}

/** Passive health of a target, for /health: breaker state plus recent error rate. */
export async function targetStatus(rt: ResilienceRuntime, id: string, now = Date.now()): Promise<TargetStatus> {
  const breaker = await rt.breaker.state(id);
  const recent = rt.errors.rate(id, now);
  return { id, breaker, health: assessHealth(breaker, recent), errorRate: recent.errorRate, samples: recent.samples, latencyMs: rt.latency.average(id, now) };
}
