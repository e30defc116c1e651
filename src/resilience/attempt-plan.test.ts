// Table-driven tests for attempt-plan.ts covering every branch: retries with backoff growth,
// F1 (Retry-After: 2 waits ≥ 1.8 s; a Retry-After reaching past the deadline falls back at once
// or gives up, never waits), over-long Retry-After, exhausted attempts, breaker just opened,
// non-retryable errors getting exactly one attempt (F18), fallbackOnStatus matching the
// upstream status first, budget exhaustion, the deadline itself, and a randomized check that
// no planned wait ever crosses the deadline.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { nextStep, type AttemptFailure, type Step, type StepInput } from './attempt-plan.js';
import type { RetryPolicy } from './retry-policy.js';
import { seededRandom } from './seeded-random.js';

const policy: RetryPolicy = { maxAttempts: 3, backoff: { type: 'exponential', baseMs: 200, maxMs: 5_000 }, maxRetryAfterMs: 30_000, fallbackOnStatus: [] };
const e503: AttemptFailure = { retryable: true, status: 503 };
const e429: AttemptFailure = { retryable: true, status: 429 };
const ra = (s: number): AttemptFailure => ({ ...e429, retryAfterSeconds: s });
const e400: AttemptFailure = { retryable: false, status: 400 };
const e401: AttemptFailure = { retryable: false, status: 502, upstreamStatus: 401 };
const timeout: AttemptFailure = { retryable: true, status: 504 };

function input(over: Partial<StepInput> & { fallbackOn?: number[]; maxAttempts?: number; canRetry?: boolean }): StepInput {
  const { fallbackOn, maxAttempts, canRetry, ...rest } = over;
  return {
    error: e503, attempt: 1, targetIndex: 0, targetCount: 2, now: 1_000, deadline: 121_000,
    policy: { ...policy, fallbackOnStatus: fallbackOn ?? [], maxAttempts: maxAttempts ?? 3 },
    budget: { canRetry: () => canRetry ?? true },
    random: () => 0.5,
    ...rest,
  };
}

const retry = (delayMs: number, reason: 'retry-after' | 'backoff' = 'backoff'): Step => ({ kind: 'retry-same', delayMs, reason });
const fallback = (reason: string, targetIndex = 1): Step => ({ kind: 'fallback', targetIndex, reason } as Step);
const giveUp = (reason: string): Step => ({ kind: 'give-up', reason } as Step);
const last = { targetIndex: 1, targetCount: 2 };

const cases: Array<[string, Parameters<typeof input>[0], Step]> = [
  ['503, first failure: backoff retry', {}, retry(100)],
  ['503, second failure: backoff doubles', { attempt: 2 }, retry(200)],
  ['timeout: retried like any retryable failure', { error: timeout }, retry(100)],
  ['503, attempts exhausted: next target', { attempt: 3 }, fallback('attempts-exhausted')],
  ['503, attempts exhausted on the last target', { attempt: 3, ...last }, giveUp('attempts-exhausted')],
  ['max attempts 1 (header): straight to the next target', { maxAttempts: 1 }, fallback('attempts-exhausted')],
  ['fallback from the middle of three', { attempt: 3, targetIndex: 1, targetCount: 3 }, fallback('attempts-exhausted', 2)],
  ['F1: Retry-After 2 waits 2000 ms', { error: ra(2) }, retry(2_000, 'retry-after')],
  ['F1: Retry-After past the deadline: fall back now', { error: ra(2), deadline: 2_500 }, fallback('deadline')],
  ['F1: Retry-After past the deadline on the last target: give up', { error: ra(2), deadline: 2_500, ...last }, giveUp('deadline')],
  ['a wait ending exactly at the deadline is not started', { error: ra(2), deadline: 3_000 }, fallback('deadline')],
  ['Retry-After beyond maxRetryAfterMs: next target', { error: ra(31) }, fallback('retry-after-too-long')],
  ['Retry-After beyond maxRetryAfterMs on the last target', { error: ra(31), ...last }, giveUp('retry-after-too-long')],
  ['breaker just opened: next target', { targetOpen: true }, fallback('breaker-open')],
  ['breaker just opened on the last target', { targetOpen: true, ...last }, giveUp('breaker-open')],
  ['400: one attempt only, even with a next target', { error: e400 }, giveUp('not-retryable')],
  ['400 listed in fallbackOnStatus: next target', { error: e400, fallbackOn: [400] }, fallback('status-listed')],
  ['400 listed, but no next target', { error: e400, fallbackOn: [400], ...last }, giveUp('not-retryable')],
  ['upstream 401 listed (gateway status 502)', { error: e401, fallbackOn: [401] }, fallback('status-listed')],
  ['upstream status wins over gateway status', { error: e401, fallbackOn: [502] }, giveUp('not-retryable')],
  ['429 listed: switch at once instead of retrying', { error: e429, fallbackOn: [429] }, fallback('status-listed')],
  ['429 listed on the last target: retried', { error: e429, fallbackOn: [429], ...last }, retry(100)],
  ['budget empty: no retry', { canRetry: false }, giveUp('budget-exhausted')],
  ['budget empty: no fallback either', { attempt: 3, canRetry: false }, giveUp('budget-exhausted')],
  ['budget empty, non-retryable: reason stays not-retryable', { error: e400, canRetry: false }, giveUp('not-retryable')],
  ['deadline reached', { now: 121_000 }, giveUp('deadline')],
  ['deadline reached beats a listed status', { now: 130_000, error: e400, fallbackOn: [400] }, giveUp('deadline')],
];

describe('nextStep', () => {
  for (const [name, over, expected] of cases) {
    test(name, () => assert.deepEqual(nextStep(input(over)), expected));
  }
});

test('no planned wait ever crosses the deadline (randomized)', () => {
  const r = seededRandom(5);
  for (let i = 0; i < 5_000; i++) {
    const now = Math.floor(r() * 10_000);
    const deadline = now + Math.floor(r() * 8_000);
    const error = r() < 0.5 ? ra(Math.floor(r() * 10)) : e503;
    const step = nextStep(input({ now, deadline, error, attempt: 1 + Math.floor(r() * 4), random: r }));
    if (step.kind === 'retry-same') assert.ok(now + step.delayMs < deadline, JSON.stringify({ now, deadline, step }));
    if (step.kind === 'retry-same' && step.reason === 'retry-after') assert.ok(step.delayMs >= (error.retryAfterSeconds ?? 0) * 1000);
  }
});
