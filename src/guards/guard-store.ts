/**
 * The counter store behind rate limits and budgets. Two backends implement it: memory (one
 * process) and Redis (several replicas; every call is one atomic Lua script, so a multi-key
 * check-and-reserve can never be split by another replica). guard-store.contract.ts holds the
 * one test suite both must pass.
 *
 * Rate limits are exact sliding windows: each accepted request is a timestamped entry, and a
 * request is allowed only if every window it counts against holds fewer than `limit` entries
 * in the last `windowMs`. Budgets are integer micro-USD counters with two fields, `spent`
 * (settled) and `reserved` (in flight); a reservation succeeds only if spent + reserved +
 * amount stays within every limit at once.
 *
 * Stores know nothing about keys, tenants or prices; callers build the counter names.
 */

export interface RateCheck {
  readonly key: string;
  readonly windowMs: number;
  readonly limit: number;
}

export interface HitResult {
  readonly allowed: boolean;
  /** Per check: entries in the window before this request. */
  readonly counts: readonly number[];
  /** Per check: ms until the oldest entry leaves the window (windowMs when empty). */
  readonly resetMs: readonly number[];
  /** When refused: ms until every refusing window has room again. */
  readonly retryAfterMs: number;
}

export interface BudgetCheck {
  readonly key: string;
  /** Micro-USD. */
  readonly limit: number;
  /** Counter lifetime: until its window ends, plus slack. */
  readonly ttlMs: number;
}

export interface ReserveResult {
  readonly ok: boolean;
  /** Index of the first check that could not take the amount (-1 when ok). */
  readonly refused: number;
  /** Per check, before this reservation. */
  readonly states: readonly BudgetState[];
}

export interface BudgetState {
  readonly spent: number;
  readonly reserved: number;
}

export interface GuardStore {
  /** Counts one request against every window, or none if any is full. */
  hit(checks: readonly RateCheck[], member: string): Promise<HitResult>;
  /** Reserves `amount` on every budget, or on none if any would exceed its limit. */
  reserve(checks: readonly BudgetCheck[], amount: number): Promise<ReserveResult>;
  /** Turns a reservation into the actual spend (reserved -= reserved, spent += actual). */
  settle(keys: readonly string[], reserved: number, actual: number, ttlMs: number): Promise<void>;
  /** Current state of budget counters (zeros for unknown ones). */
  budgets(keys: readonly string[]): Promise<BudgetState[]>;
}
