/**
 * The counter store behind rate limits and budgets. Two backends implement it: memory (one
 * process) and Redis (several replicas; every call is one atomic Lua script, so a multi-key
 * check-and-reserve can never be split by another replica). guard-store.contract.ts holds the
 * one test suite both must pass.
 *
 * Rate limits are exact sliding windows: each accepted request is a timestamped entry, and a
 * request is allowed only if every window it counts against holds fewer than `limit` entries
 * in the last `windowMs`. Windows with limits above EXACT_UP_TO keep per-bucket counts instead
 * (bucket-ring.ts: memory bounded by time, exact at bucket resolution, erring only towards
 * refusing). Budgets are integer micro-USD counters with two fields, `spent`
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
  /** What to reserve on this counter, when not the call's `amount` (token windows). */
  readonly amount?: number;
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

export interface AdmitResult {
  readonly rate: HitResult;
  /** Undefined when the rate limits refused (budgets were then not looked at). */
  readonly budget: ReserveResult | undefined;
}

export interface GuardStore {
  /**
   * One atomic step for one request: check every rate window, then every budget; only if all
   * pass, count the request in every window and reserve `amount` on every budget. Nothing is
   * counted or reserved for a refused request.
   */
  admit(rates: readonly RateCheck[], member: string, budgets: readonly BudgetCheck[], amount: number): Promise<AdmitResult>;
  /** Counts one request against every window, or none if any is full (admit without budgets). */
  hit(checks: readonly RateCheck[], member: string): Promise<HitResult>;
  /** Reserves `amount` on every budget, or on none if any would exceed its limit. */
  reserve(checks: readonly BudgetCheck[], amount: number): Promise<ReserveResult>;
  /** Turns a reservation into the actual spend (reserved -= reserved, spent += actual). */
  settle(keys: readonly string[], reserved: number, actual: number, ttlMs: number): Promise<BudgetState[]>;
  /** Current state of budget counters (zeros for unknown ones). */
  budgets(keys: readonly string[]): Promise<BudgetState[]>;
}

const NO_HIT: HitResult = Object.freeze({ allowed: true, counts: [], resetMs: [], retryAfterMs: 0 });
export const EMPTY_RESERVE: ReserveResult = Object.freeze({ ok: true, refused: -1, states: [] });

/** `hit` and `reserve` in terms of `admit`, shared by the backends. */
export abstract class AdmitBasedStore {
  abstract admit(rates: readonly RateCheck[], member: string, budgets: readonly BudgetCheck[], amount: number): Promise<AdmitResult>;

  async hit(checks: readonly RateCheck[], member: string): Promise<HitResult> {
    return checks.length === 0 ? NO_HIT : (await this.admit(checks, member, [], 0)).rate;
  }

  async reserve(checks: readonly BudgetCheck[], amount: number): Promise<ReserveResult> {
    return (await this.admit([], '', checks, amount)).budget ?? EMPTY_RESERVE;
  }
}
