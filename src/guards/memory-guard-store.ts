/**
 * The in-process guard store: exact sliding windows as sorted timestamp lists, budgets as
 * plain counters. JavaScript runs one call to completion, so each method is atomic without
 * locks. Also used as the per-replica fallback for rate limits while Redis is unreachable.
 *
 * Memory is bounded by the limits themselves (a window never holds more than `limit` entries),
 * and for limits above `exactUpTo` by time: such a window keeps per-bucket counts instead of
 * one stamp per request (bucket-ring.ts), exact at bucket resolution and erring only towards
 * refusing. Idle windows and budget counters are swept when they lapse.
 */
import { BucketRing, bucketWidthMs, EXACT_UP_TO } from './bucket-ring.js';
import { StampRing } from './stamp-ring.js';
import { AdmitBasedStore, type AdmitResult, type BudgetCheck, type BudgetState, type GuardStore, type HitResult, type RateCheck } from './guard-store.js';

interface Budget { spent: number; reserved: number; expiresAt: number }

/**
 * A window's accepted entries (one stamp each, or per-bucket counts when `width` > 0) and when
 * the window may be forgotten.
 */
interface Window { stamps: StampRing | BucketRing; width: number; expiresAt: number }


const SWEEP_EVERY_MS = 60_000;

export class MemoryGuardStore extends AdmitBasedStore implements GuardStore {
  private readonly windows = new Map<string, Window>();
  private readonly counters = new Map<string, Budget>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now, private readonly exactUpTo = EXACT_UP_TO) {
    super();
  }

  private windowOf(c: RateCheck): Window {
    const width = c.limit > this.exactUpTo ? bucketWidthMs(c.windowMs) : 0;
    const w = this.windows.get(c.key);
    // A limit edited across the threshold starts the window afresh in its new form.
    if (w && w.width === width) return w;
    return { stamps: width > 0 ? new BucketRing(width) : new StampRing(), width, expiresAt: 0 };
  }

  async admit(rates: readonly RateCheck[], member: string, budgets: readonly BudgetCheck[], amount: number): Promise<AdmitResult> {
    return this.admitNow(rates, member, budgets, amount);
  }

  /**
   * `admit` without a promise: the in-process store answers at once (the hot path uses it).
   * Plain loops, no callbacks: this runs on every guarded request.
   */
  admitNow(rates: readonly RateCheck[], _member: string, budgets: readonly BudgetCheck[], amount: number): AdmitResult {
    const now = this.now();
    this.sweep(now);
    const { rate, lists } = this.checkRates(rates, now);
    if (!rate.allowed) return { rate, budget: undefined };
    const states: BudgetState[] = new Array<BudgetState>(budgets.length);
    let refused = -1;
    for (let i = 0; i < budgets.length; i++) {
      const c = budgets[i];
      const s = (states[i] = this.state(c.key, now));
      if (refused === -1 && s.spent + s.reserved + (c.amount ?? amount) > c.limit) refused = i;
    }
    if (refused !== -1) return { rate, budget: { ok: false, refused, states } };
    for (let i = 0; i < rates.length; i++) {
      const w = lists[i];
      w.stamps.push(now);
      w.expiresAt = Math.max(w.expiresAt, now + rates[i].windowMs);
      // A window met for the first time (or remade in a new form) is kept from now on.
      if (this.windows.get(rates[i].key) !== w) this.windows.set(rates[i].key, w);
    }
    for (const c of budgets) this.counter(c.key, now, c.ttlMs).reserved += c.amount ?? amount;
    return { rate, budget: { ok: true, refused: -1, states } };
  }

  private checkRates(checks: readonly RateCheck[], now: number): { rate: HitResult; lists: Window[] } {
    const counts: number[] = new Array<number>(checks.length);
    const resetMs: number[] = new Array<number>(checks.length);
    const lists: Window[] = new Array<Window>(checks.length);
    let retryAfterMs = 0;
    let allowed = true;
    for (let i = 0; i < checks.length; i++) {
      const c = checks[i];
      const w = (lists[i] = this.windowOf(c));
      w.stamps.dropThrough(now - c.windowMs);
      const n = w.stamps.size;
      counts[i] = n;
      resetMs[i] = n > 0 ? w.stamps.at(0) + c.windowMs - now : c.windowMs;
      if (n >= c.limit) {
        allowed = false;
        // Room returns when the entry that makes the window full leaves it.
        const freeing = w.stamps.at(n - c.limit);
        retryAfterMs = Math.max(retryAfterMs, freeing + c.windowMs - now);
      }
    }
    return { rate: { allowed, counts, resetMs, retryAfterMs: allowed ? 0 : retryAfterMs }, lists };
  }

  async settle(keys: readonly string[], reserved: number, actual: number, ttlMs: number): Promise<BudgetState[]> {
    return this.settleNow(keys, reserved, actual, ttlMs);
  }

  settleNow(keys: readonly string[], reserved: number, actual: number, ttlMs: number): BudgetState[] {
    const now = this.now();
    return keys.map((key) => {
      const b = this.counter(key, now, ttlMs);
      b.reserved -= reserved;
      b.spent += actual;
      return { spent: b.spent, reserved: b.reserved };
    });
  }

  async budgets(keys: readonly string[]): Promise<BudgetState[]> {
    const now = this.now();
    return keys.map((k) => this.state(k, now));
  }

  private state(key: string, now: number): BudgetState {
    const b = this.counters.get(key);
    return b && b.expiresAt > now ? { spent: b.spent, reserved: b.reserved } : { spent: 0, reserved: 0 };
  }

  private counter(key: string, now: number, ttlMs: number): Budget {
    let b = this.counters.get(key);
    if (!b || b.expiresAt <= now) {
      b = { spent: 0, reserved: 0, expiresAt: 0 };
      this.counters.set(key, b);
    }
    b.expiresAt = Math.max(b.expiresAt, now + ttlMs);
    return b;
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    for (const [k, w] of this.windows) if (w.expiresAt <= now) this.windows.delete(k);
    for (const [k, b] of this.counters) if (b.expiresAt <= now) this.counters.delete(k);
  }
}
