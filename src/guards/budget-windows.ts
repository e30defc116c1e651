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

interface Calendar { dayStart: number; dayEnd: number; day: string; month: string; monthEnd: number }

let calendar: Calendar | undefined;

/** The current UTC day and month, recomputed only when the day changes (hot path). */
function calendarAt(now: number): Calendar {
  if (calendar && now >= calendar.dayStart && now < calendar.dayEnd) return calendar;
  const d = new Date(now);
  const dayStart = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  calendar = {
    dayStart,
    dayEnd: dayStart + DAY_MS,
    day: d.toISOString().slice(0, 10),
    month: d.toISOString().slice(0, 7),
    monthEnd: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1),
  };
  return calendar;
}

interface CounterNames { day: string; daily: string; monthly: string }

/**
 * Counter names of recent scopes for the current day: the same few names on every request of a
 * key, built once a day instead of per request. Bounded, and simply cleared when full.
 */
const NAMES = new Map<string, CounterNames>();
const NAMES_LIMIT = 4096;

function namesOf(scope: string, cal: Calendar): CounterNames {
  let n = NAMES.get(scope);
  if (n === undefined || n.day !== cal.day) {
    if (NAMES.size >= NAMES_LIMIT) NAMES.clear();
    n = { day: cal.day, daily: `b:${scope}:d:${cal.day}`, monthly: `b:${scope}:m:${cal.month}` };
    NAMES.set(scope, n);
  }
  return n;
}

export function budgetCounters(scope: string, owner: string, b: BudgetLimits, now: number): BudgetCounter[] {
  const cal = calendarAt(now);
  const names = namesOf(scope, cal);
  const out: BudgetCounter[] = [];
  if (b.daily !== undefined) {
    out.push({ key: names.daily, limit: b.daily, ttlMs: cal.dayEnd - now + DAY_MS, window: 'daily', resetsAt: cal.dayEnd, owner });
  }
  if (b.monthly !== undefined) {
    out.push({ key: names.monthly, limit: b.monthly, ttlMs: cal.monthEnd - now + DAY_MS, window: 'monthly', resetsAt: cal.monthEnd, owner });
  }
  return out;
}
