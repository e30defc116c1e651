/**
 * Budget windows: a daily window is one UTC calendar day, a monthly one a UTC calendar month.
 * Each (scope, window) pair is one counter in the guard store, named after the window it
 * covers (`b:key:<id>:d:2026-11-23`), so a new day starts from zero without any reset job and
 * a request that started yesterday settles on yesterday's counter. Counters expire a day after
 * their window ends.
 */
import type { BudgetLimits } from './guard-policy.js';

export interface BudgetCounter {
  readonly key: string;
  readonly limit: number;
  readonly ttlMs: number;
  readonly window: 'minute' | 'daily' | 'monthly';
  /** Epoch ms when the window ends. */
  readonly resetsAt: number;
  /** What the counter belongs to, e.g. `key acme-backend` (for messages and listings). */
  readonly owner: string;
  /** Token windows reserve tokens, not the request's cost (see guard-stage.ts). */
  readonly amount?: number;
}

const DAY_MS = 86_400_000;

/** Owner and window end of a budget counter name (`b:<kind>:<id>:d:<day>` / `:m:<month>`). */
export function parseCounter(key: string): { kind: string; id: string; endsAt: number } | undefined {
  const m = /^b:(key|tenant):(.+):(d|m):(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(key);
  if (!m) return undefined;
  const [, kind, id, w, y, mo, d] = m;
  const endsAt = w === 'd' ? Date.UTC(Number(y), Number(mo) - 1, Number(d) + 1) : Date.UTC(Number(y), Number(mo), 1);
  return { kind, id: decodeURIComponent(id), endsAt };
}

export function budgetCounters(scope: string, owner: string, b: BudgetLimits, now: number): BudgetCounter[] {
  const d = new Date(now);
  const out: BudgetCounter[] = [];
  if (b.daily !== undefined) {
    const resetsAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
    const day = d.toISOString().slice(0, 10);
    out.push({ key: `b:${scope}:d:${day}`, limit: b.daily, ttlMs: resetsAt - now + DAY_MS, window: 'daily', resetsAt, owner });
  }
  if (b.monthly !== undefined) {
    const resetsAt = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    const month = d.toISOString().slice(0, 7);
    out.push({ key: `b:${scope}:m:${month}`, limit: b.monthly, ttlMs: resetsAt - now + DAY_MS, window: 'monthly', resetsAt, owner });
  }
  return out;
}
