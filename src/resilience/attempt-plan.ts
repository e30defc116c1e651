/**
 * What to do after a failed upstream attempt: wait and retry the same target, move on to the
 * next target now, or give up and answer the client with the last error. One pure function,
 * called by the attempt loop after every failure; it never sleeps, sends or records anything.
 *
 * The rules, in order:
 *  1. No time left before the overall deadline → give up.
 *  2. The upstream status is in `fallbackOnStatus` and another target exists → fall back now
 *     (listing 429 there is how an operator says "don't wait out rate limits, switch").
 *  3. A non-retryable failure (a 4xx, bad credentials) → give up: it had its one attempt.
 *  4. Retryable (429, 5xx, connect errors, timeouts): retry the same target after the delay
 *     (Retry-After if given, else backoff) when attempts remain on it, its breaker still admits
 *     it, the Retry-After is within `maxRetryAfterMs`, and the wait ends before the deadline.
 *     Otherwise fall back to the next target at once, or give up if it was the last — a wait
 *     that would cross the deadline is never started.
 *  5. Any extra attempt (retry or fallback) needs the retry budget; without it → give up.
 * Targets arrive already ordered and filtered by target-selector.ts, so "next" is index + 1.
 * The caller withdraws from the budget (`recordRetry`) when it acts on a retry or fallback.
 */
import { retryDelay, type RetryHint } from './backoff.js';
import type { RetryAllowance } from './retry-budget.js';
import type { RetryPolicy } from './retry-policy.js';

export interface AttemptFailure extends RetryHint {
  readonly retryable: boolean;
  /** The status the gateway would answer with (GatewayError.status). */
  readonly status: number;
  /** The provider's own HTTP status when known; `fallbackOnStatus` is matched against it first. */
  readonly upstreamStatus?: number | undefined;
}

export interface StepInput {
  readonly error: AttemptFailure;
  /** Attempts made on the current target so far, the failed one included (≥ 1). */
  readonly attempt: number;
  readonly targetIndex: number;
  readonly targetCount: number;
  readonly policy: RetryPolicy;
  /** Epoch ms; see retry-policy.ts requestDeadline. */
  readonly deadline: number;
  readonly now: number;
  readonly budget: RetryAllowance;
  readonly random: () => number;
  /** The current target's breaker no longer admits requests (it just opened). */
  readonly targetOpen?: boolean;
}

export type SameTargetBlock = 'attempts-exhausted' | 'breaker-open' | 'retry-after-too-long' | 'deadline';

export type Step =
  | { readonly kind: 'retry-same'; readonly delayMs: number; readonly reason: 'retry-after' | 'backoff' }
  | { readonly kind: 'fallback'; readonly targetIndex: number; readonly reason: SameTargetBlock | 'status-listed' }
  | { readonly kind: 'give-up'; readonly reason: SameTargetBlock | 'not-retryable' | 'budget-exhausted' };

type Retry = { delayMs: number; reason: 'retry-after' | 'backoff' };

/** How soon the same target may be retried, or why it may not. */
function sameTarget(input: StepInput): Retry | SameTargetBlock {
  if (input.targetOpen) return 'breaker-open';
  if (input.attempt >= input.policy.maxAttempts) return 'attempts-exhausted';
  const delay = retryDelay(input.error, input.policy.backoff, input.attempt, input.random, input.policy.maxRetryAfterMs);
  if (!delay) return 'retry-after-too-long';
  if (input.now + delay.delayMs >= input.deadline) return 'deadline';
  return { delayMs: delay.delayMs, reason: delay.source };
}

function plan(input: StepInput): Step {
  const { error, policy } = input;
  const next = input.targetIndex + 1 < input.targetCount ? input.targetIndex + 1 : undefined;
  if (input.now >= input.deadline) return { kind: 'give-up', reason: 'deadline' };
  const status = error.upstreamStatus ?? error.status;
  if (next !== undefined && policy.fallbackOnStatus.includes(status)) return { kind: 'fallback', targetIndex: next, reason: 'status-listed' };
  if (!error.retryable) return { kind: 'give-up', reason: 'not-retryable' };
  const same = sameTarget(input);
  if (typeof same !== 'string') return { kind: 'retry-same', ...same };
  return next === undefined ? { kind: 'give-up', reason: same } : { kind: 'fallback', targetIndex: next, reason: same };
}

export function nextStep(input: StepInput): Step {
  const step = plan(input);
  if (step.kind !== 'give-up' && !input.budget.canRetry()) return { kind: 'give-up', reason: 'budget-exhausted' };
  return step;
}
