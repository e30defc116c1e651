/**
 * Config schema for the resilience settings this folder implements, for src/config/schema.ts to
 * merge: the retry/backoff/budget/breaker part of `resilience` (timeouts already live there),
 * and the `when` conditions a route target may carry. Both are strict like the rest of the
 * config, so a misspelt key is an error rather than a silently ignored setting.
 *
 * `resilienceConfigShape` is exported besides the schema so the merge can be
 * `z.object({ ...resilienceConfigShape, timeouts }).strict()`. Mapping a parsed section to the
 * per-request policy is `retryPolicyFromConfig` below; nothing here reads headers.
 */
import { z } from 'zod';
import type { RetryPolicy } from './retry-policy.js';
import type { BreakerConfig } from './breaker-state.js';

/** Numbers may arrive as strings from `${ENV}` interpolation; coerce, then check strictly. */
export const num = () => z.coerce.number();

/** Node timers overflow above 2^31-1 ms; a day is a generous ceiling for any wait here. */
export const MAX_TIMER_MS = 86_400_000;

const backoffSchema = z.object({
  type: z.enum(['constant', 'linear', 'exponential']).default('exponential'),
  baseMs: num().int().min(0).max(MAX_TIMER_MS).default(200),
  maxMs: num().int().min(0).max(MAX_TIMER_MS).default(5_000),
}).strict().refine((b) => b.baseMs <= b.maxMs, { message: 'baseMs must not exceed maxMs', path: ['baseMs'] });

const circuitBreakerSchema = z.object({
  failureThreshold: num().int().min(1).max(1_000).default(5),
  cooldownMs: num().int().positive().max(MAX_TIMER_MS).default(30_000),
}).strict();

export const resilienceConfigShape = {
  /** Attempts per target, the first included. */
  maxAttempts: num().int().min(1).max(10).default(3),
  backoff: backoffSchema.prefault({}),
  /** Extra attempts allowed per client request, as a fraction (0.2 → at most 20% more). */
  retryBudgetRatio: num().min(0).max(1).default(0.2),
  /** Longest Retry-After the gateway waits out before falling back instead. */
  maxRetryAfterMs: num().int().min(0).max(MAX_TIMER_MS).default(30_000),
  /** Upstream statuses that switch to the next target at once. */
  fallbackOnStatus: z.array(num().int().min(400).max(599)).default([]),
  circuitBreaker: circuitBreakerSchema.prefault({}),
};

export const resilienceConfigSchema = z.object(resilienceConfigShape).strict();

/** Scalars in YAML (`tier: 1`) compare as strings, the way request metadata is read. */
const metadataValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const targetConditionSchema = z.object({
  tenants: z.array(z.string().min(1)).min(1).optional(),
  operations: z.array(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/)).min(1).optional(),
  metadata: z.record(z.string().min(1).max(64), metadataValue).optional(),
}).strict();

export type ResilienceConfig = z.output<typeof resilienceConfigSchema>;
export type TargetConditionConfig = z.output<typeof targetConditionSchema>;

export function retryPolicyFromConfig(cfg: ResilienceConfig): RetryPolicy {
  return {
    maxAttempts: cfg.maxAttempts,
    backoff: cfg.backoff,
    maxRetryAfterMs: cfg.maxRetryAfterMs,
    fallbackOnStatus: cfg.fallbackOnStatus,
  };
}

export function breakerConfigFromConfig(cfg: ResilienceConfig): BreakerConfig {
  return cfg.circuitBreaker;
}
