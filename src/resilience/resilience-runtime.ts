/**
 * The resilience state that outlives a request and a config reload: circuit breakers, latency
 * and error-rate trackers, the retry budget, and the per-provider caps on upstream calls. One
 * per gateway process; the request path reads it through the RequestContext. Breakers are local
 * (memory) by default and shared by every replica when the gateway has a Redis state connection
 * (`state: redis://…`) — the same switch the guards and the cache use; trackers, the retry
 * budget and the upstream caps stay per replica.
 */
import type { BreakerConfig, BreakerStateName } from './breaker-state.js';
import { CircuitBreaker, type BreakerTransition } from './circuit-breaker.js';
import { ErrorRateTracker } from './error-rate-tracker.js';
import { LatencyTracker } from './latency-tracker.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';
import { RedisBreakerStore } from './redis-breaker-store.js';
import { SharedBreakerStore } from './shared-breaker-store.js';
import type { RedisConnection } from '../stores/redis/redis-connection.js';
import { ProviderProber, type ProbeResult, type ProbeRunner } from './provider-prober.js';
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
  /** The Redis-shared breaker store (its health and fallbacks); undefined with memory breakers. */
  readonly sharedBreakers: SharedBreakerStore | undefined;
  /** Active provider probes (idle until `plan`ned with a config's providers). */
  readonly prober: ProviderProber;
  random(): number;
  /** Stops background work (the shared breakers' mirror refresh, the probes). */
  close(): void;
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

export interface ResilienceRuntimeOptions {
  readonly onTransition?: (t: BreakerTransition) => void;
  /** The gateway's Redis state connection: when given, breakers are shared through it. */
  readonly redis?: RedisConnection;
  /** Key prefix of the shared breakers (default `tollgate:cb:`). */
  readonly redisPrefix?: string;
  /** Sends one active probe (probe-call.ts in the gateway); probes fail without one. */
  readonly probe?: ProbeRunner;
  readonly onProbe?: (name: string, result: ProbeResult, previous: ProbeResult) => void;
}

const noProbeRunner: ProbeRunner = async () => ({ ok: false, latencyMs: 0, errorCode: 'internal_error' });

export function createResilienceRuntime(config: BreakerConfig, ratio: number, options: ResilienceRuntimeOptions = {}): ResilienceRuntime {
  const prober = new ProviderProber(options.probe ?? noProbeRunner, { onResult: options.onProbe });
  const shared = options.redis ? new SharedBreakerStore(options.redis, new RedisBreakerStore(options.redis.client, options.redisPrefix)).start() : undefined;
  return {
    breaker: new CircuitBreaker(shared ?? new MemoryBreakerStore(), { config, onTransition: options.onTransition }),
    latency: new LatencyTracker(),
    errors: new ErrorRateTracker(),
    budget: new RetryBudget({ ratio }),
    upstreamSlots: new ProviderSlots(),
    seen: new Set(),
    sharedBreakers: shared,
    prober,
    random: Math.random,
    close: () => {
      shared?.close();
      prober.close();
    },
  };
}

/** Passive health of a target, for /health: breaker state plus recent error rate. */
export async function targetStatus(rt: ResilienceRuntime, id: string, now = Date.now()): Promise<TargetStatus> {
  const breaker = await rt.breaker.state(id);
  const recent = rt.errors.rate(id, now);
  return { id, breaker, health: assessHealth(breaker, recent), errorRate: recent.errorRate, samples: recent.samples, latencyMs: rt.latency.average(id, now) };
}
