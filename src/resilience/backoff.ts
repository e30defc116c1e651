/**
 * How long to wait before retrying the same target. Two questions are answered here: the
 * backoff curve when the provider gave no hint, and whether the provider's own Retry-After
 * hint (already parsed by the adapter into `retryAfterSeconds`) is honoured instead.
 *
 * Formulas, with `n` the 1-based number of the attempt that just failed, `r` a random number in
 * [0, 1) and every ceiling clamped to `maxMs`:
 *   constant:    delay = baseMs                                  (no jitter: the client asked for a fixed gap)
 *   linear:      delay = floor(r × min(maxMs, baseMs × n))       (full jitter)
 *   exponential: delay = floor(r × min(maxMs, baseMs × 2^(n-1))) (full jitter)
 * Full jitter spreads the retries of many clients failing at the same moment over the whole
 * window, instead of having them return together and knock the provider over again.
 *
 * It deliberately does not decide whether to retry at all (attempt-plan.ts) and never sleeps.
 */

export type BackoffType = 'constant' | 'linear' | 'exponential';

export interface BackoffPolicy {
  readonly type: BackoffType;
  readonly baseMs: number;
  readonly maxMs: number;
}

/** The part of a failed attempt that carries the provider's wait hint. */
export interface RetryHint {
  readonly retryAfterSeconds?: number | undefined;
}

export interface RetryDelay {
  readonly delayMs: number;
  readonly source: 'retry-after' | 'backoff';
}

/** 2^30 × any sane base already exceeds every cap; stop growing there to stay finite. */
const MAX_EXPONENT = 30;

function ceilingFor(policy: BackoffPolicy, attempt: number): number {
  const n = Math.max(1, Math.floor(attempt));
  switch (policy.type) {
    case 'constant':
      return policy.baseMs;
    case 'linear':
      return policy.baseMs * n;
    case 'exponential':
      return policy.baseMs * 2 ** Math.min(n - 1, MAX_EXPONENT);
  }
}

/** Backoff delay in whole milliseconds after the `attempt`-th failure (see the formulas above). */
export function backoffDelay(policy: BackoffPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.max(0, Math.min(policy.maxMs, ceilingFor(policy, attempt)));
  if (policy.type === 'constant') return Math.floor(ceiling);
  // Clamp r below 1 so a misbehaving random source can never push past the ceiling.
  const r = Math.min(Math.max(random(), 0), 1 - Number.EPSILON);
  return Math.floor(r * ceiling);
}

/**
 * The wait before retrying after `failure`. A Retry-After hint wins over the backoff curve,
 * because retrying earlier than the provider asked only earns another 429 and burns budget.
 * A hint longer than `maxRetryAfterMs` yields `undefined`: waiting that long for this target is
 * not worth it, and retrying it early is pointless, so the caller should fall back instead.
 * The hint is rounded up so "Retry-After: 2" never becomes a 1999 ms wait.
 */
export function retryDelay(
  failure: RetryHint,
  policy: BackoffPolicy,
  attempt: number,
  random: () => number,
  maxRetryAfterMs: number,
): RetryDelay | undefined {
  const hint = failure.retryAfterSeconds;
  if (hint !== undefined && Number.isFinite(hint) && hint >= 0) {
    const ms = Math.ceil(hint * 1000);
    return ms > maxRetryAfterMs ? undefined : { delayMs: ms, source: 'retry-after' };
  }
  return { delayMs: backoffDelay(policy, attempt, random), source: 'backoff' };
}
