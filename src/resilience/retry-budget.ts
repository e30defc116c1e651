/**
 * The retry budget: a token bucket that keeps extra upstream attempts (retries and fallbacks)
 * a bounded fraction of client requests, so a struggling provider is not hit by a retry storm.
 *
 * Every client request deposits `ratio` tokens; every extra attempt withdraws one, and is only
 * allowed while a whole token is available. Two details make the bound hold:
 *  - The bucket starts with `reserve` tokens so a quiet gateway can still retry its very first
 *    failure, but that reserve is a loan: the first `reserve / ratio` deposits repay it instead
 *    of adding to the balance. Hence over the budget's lifetime
 *        extra attempts ≤ max(reserve, ratio × requests)
 *    and total attempts ≤ (1 + ratio) × requests once requests ≥ reserve / ratio (50 with the
 *    defaults), whatever the failure pattern.
 *  - The balance is capped at `reserve + ratio × (requests in the last windowMs)`, so credit
 *    saved during a long healthy spell cannot be spent all at once when failures start; under
 *    sustained failure the attempts per window converge to (1 + ratio) × requests.
 * Tokens are kept as integer thousandths so ten thousand deposits of 0.2 stay exact.
 *
 * The budget only counts; the caller asks `canRetry()` before planning an extra attempt and
 * calls `recordRetry()` when it makes one. It knows nothing about targets or errors.
 */
import { systemClock, type Clock } from './clock.js';
import { WindowCounter } from './window-counter.js';

export interface RetryBudgetOptions {
  /** Tokens deposited per client request (default 0.2 → at most 20% extra attempts). */
  readonly ratio?: number;
  /** Starting loan and minimum cap, in whole retries (default 10). */
  readonly reserve?: number;
  /** How far back "recent requests" reach when capping the balance (default 10 s). */
  readonly windowMs?: number;
  readonly now?: Clock;
}

/** Read-only view the attempt planner needs. */
export interface RetryAllowance {
  canRetry(): boolean;
}

const MILLI = 1000;

export class RetryBudget implements RetryAllowance {
  private readonly deposit: number;
  private readonly reserve: number;
  private readonly recent: WindowCounter;
  private readonly now: Clock;
  private balance: number;
  private loan: number;

  constructor(options: RetryBudgetOptions = {}) {
    const ratio = options.ratio ?? 0.2;
    const reserve = options.reserve ?? 10;
    if (!(ratio >= 0) || !(reserve >= 0)) throw new RangeError('retry budget ratio and reserve must be ≥ 0');
    this.deposit = Math.round(ratio * MILLI);
    this.reserve = Math.round(reserve * MILLI);
    this.recent = new WindowCounter(options.windowMs ?? 10_000);
    this.now = options.now ?? systemClock;
    this.balance = this.reserve;
    this.loan = this.reserve;
  }

  /** Call once per client request that reaches the upstream stage (not per attempt). */
  recordRequest(): void {
    const now = this.now();
    this.recent.add(now);
    let credit = this.deposit;
    const repay = Math.min(this.loan, credit);
    this.loan -= repay;
    credit -= repay;
    const cap = this.reserve + this.deposit * this.recent.sum(now);
    this.balance = Math.min(cap, this.balance + credit);
  }

  canRetry(): boolean {
    return this.balance >= MILLI;
  }

  /** Withdraws one token for an extra attempt; false (and nothing withdrawn) when none is left. */
  recordRetry(): boolean {
    if (!this.canRetry()) return false;
    this.balance -= MILLI;
    return true;
  }

  /** Whole retries currently available, for a gauge or a log line. */
  available(): number {
    return Math.floor(this.balance / MILLI);
  }
}
