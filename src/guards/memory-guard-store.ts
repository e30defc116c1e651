/**
 * The in-process guard store: exact sliding windows as sorted timestamp lists, budgets as
 * plain counters. JavaScript runs one call to completion, so each method is atomic without
 * locks. Also used as the per-replica fallback for rate limits while Redis is unreachable.
 *
 * Memory is bounded by the limits themselves (a window never holds more than `limit` entries)
 * and by expiry: idle windows and budget counters are swept when they lapse.
 */
import type { BudgetCheck, BudgetState, GuardStore, HitResult, RateCheck, ReserveResult } from './guard-store.js';

interface Budget { spent: number; reserved: number; expiresAt: number }

const SWEEP_EVERY_MS = 60_000;

export class MemoryGuardStore implements GuardStore {
  private readonly windows = new Map<string, { stamps: number[]; expiresAt: number }>();
  private readonly counters = new Map<string, Budget>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(checks: readonly RateCheck[], _member: string): Promise<HitResult> {
    const now = this.now();
    this.sweep(now);
    const counts: number[] = [];
    const resetMs: number[] = [];
    let retryAfterMs = 0;
    const lists = checks.map((c) => {
      const w = this.windows.get(c.key) ?? { stamps: [], expiresAt: 0 };
      const cutoff = now - c.windowMs;
      let drop = 0;
      while (drop < w.stamps.length && w.stamps[drop] <= cutoff) drop++;
      if (drop > 0) w.stamps.splice(0, drop);
      counts.push(w.stamps.length);
      resetMs.push(w.stamps.length > 0 ? w.stamps[0] + c.windowMs - now : c.windowMs);
      if (w.stamps.length >= c.limit) {
        // Room returns when the entry that makes the window full leaves it.
        const freeing = w.stamps[w.stamps.length - c.limit];
        retryAfterMs = Math.max(retryAfterMs, freeing + c.windowMs - now);
      }
      return w;
    });
    const allowed = checks.every((c, i) => counts[i] < c.limit);
    if (allowed) {
      checks.forEach((c, i) => {
        lists[i].stamps.push(now);
        lists[i].expiresAt = Math.max(lists[i].expiresAt, now + c.windowMs);
        this.windows.set(c.key, lists[i]);
      });
    }
    return { allowed, counts, resetMs, retryAfterMs: allowed ? 0 : retryAfterMs };
  }

  async reserve(checks: readonly BudgetCheck[], amount: number): Promise<ReserveResult> {
    const now = this.now();
    const states = checks.map((c) => this.state(c.key, now));
    const refused = checks.findIndex((c, i) => states[i].spent + states[i].reserved + amount > c.limit);
    if (refused === -1) {
      checks.forEach((c) => {
        const b = this.counter(c.key, now, c.ttlMs);
        b.reserved += amount;
      });
    }
    return { ok: refused === -1, refused, states };
  }

  async settle(keys: readonly string[], reserved: number, actual: number, ttlMs: number): Promise<void> {
    const now = this.now();
    for (const key of keys) {
      const b = this.counter(key, now, ttlMs);
      b.reserved -= reserved;
      b.spent += actual;
    }
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
