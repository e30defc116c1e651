/**
 * The retry policy one request runs under: the configured `resilience` settings with that
 * request's header overrides applied, plus its overall deadline. Computed once per request so
 * the attempt loop reads plain numbers.
 *
 * Rules for overrides: `maxAttempts` and the backoff type replace the configured ones;
 * `retryDelayMs` replaces the backoff base and lifts `maxMs` to at least that value (a client
 * asking for a 10 s gap should get it, not a silent 5 s). A request timeout can only shorten
 * the configured overall timeout, never extend it: that ceiling protects the gateway's
 * connections and is the operator's to set.
 */
import type { BackoffPolicy } from './backoff.js';
import type { RetryOverrides } from './retry-headers.js';

export interface RetryPolicy {
  /** Attempts per target, the first one included. */
  readonly maxAttempts: number;
  readonly backoff: BackoffPolicy;
  /** A Retry-After longer than this is not waited for; the request falls back instead. */
  readonly maxRetryAfterMs: number;
  /** Upstream statuses that move on to the next target at once, even when not retryable. */
  readonly fallbackOnStatus: readonly number[];
}

export function withOverrides(policy: RetryPolicy, overrides: RetryOverrides): RetryPolicy {
  const baseMs = overrides.retryDelayMs ?? policy.backoff.baseMs;
  return {
    ...policy,
    maxAttempts: overrides.maxAttempts ?? policy.maxAttempts,
    backoff: {
      type: overrides.backoff ?? policy.backoff.type,
      baseMs,
      maxMs: Math.max(policy.backoff.maxMs, baseMs),
    },
  };
}

/** Epoch-ms instant after which no attempt may start or be waited for. */
export function requestDeadline(startedAt: number, totalMs: number, overrides: RetryOverrides): number {
  const ms = overrides.requestTimeoutMs === undefined ? totalMs : Math.min(totalMs, overrides.requestTimeoutMs);
  return startedAt + ms;
}
