/**
 * One scope's live traffic in one-minute buckets (only minutes that saw traffic are kept), plus
 * today's running totals (UTC day) and an hour-of-week cost baseline. A window sums its whole
 * minutes plus the current, partial one, so a 5-minute window covers between 5 and 6 minutes
 * of traffic (never less than asked); that resolution suits alerting and keeps the cost per
 * event to a few additions.
 *
 * Latency quantiles come from log-spaced buckets (four per doubling): a p95 is reported as the
 * upper edge of its bucket, at most ~19% above the true value, never below it. It deliberately
 * stores no per-request rows.
 */
import type { UsageEvent } from '../metering/usage-event.js';

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const LATENCY_SLOTS = 96;

export interface Totals {
  requests: number;
  errors: number;
  upstream429: number;
  rateLimited: number;
  budgetRejected: number;
  costMicros: number;
  hits: number;
  misses: number;
  bypass: number;
  neurons: number;
  latency: Uint32Array | undefined;
}

const BUDGET_CODES = new Set(['budget_exceeded', 'insufficient_quota', 'request_cost_too_high']);

function emptyTotals(): Totals {
  return { requests: 0, errors: 0, upstream429: 0, rateLimited: 0, budgetRejected: 0, costMicros: 0, hits: 0, misses: 0, bypass: 0, neurons: 0, latency: undefined };
}

function latencySlot(ms: number): number {
  return Math.min(LATENCY_SLOTS - 1, Math.floor(Math.log2(Math.max(ms, 0) + 1) * 4));
}

/** Upper edge (ms) of a latency slot. */
function slotEdge(slot: number): number {
  return 2 ** ((slot + 1) / 4) - 1;
}

export function quantile(hist: Uint32Array | undefined, q: number): number | undefined {
  if (!hist) return undefined;
  let total = 0;
  for (const c of hist) total += c;
  if (total === 0) return undefined;
  const rank = Math.ceil(q * total);
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    seen += hist[i]!;
    if (seen >= rank) return slotEdge(i);
  }
  return slotEdge(hist.length - 1);
}

function addEvent(t: Totals, e: UsageEvent, trackLatency: boolean): void {
  t.requests++;
  if (e.status >= 500) t.errors++;
  if (e.errorCode === 'upstream_rate_limited') t.upstream429++;
  else if (e.errorCode === 'rate_limit_exceeded') t.rateLimited++;
  else if (e.errorCode !== null && BUDGET_CODES.has(e.errorCode)) t.budgetRejected++;
  t.costMicros += e.costMicros ?? 0;
  t.neurons += e.neurons ?? 0;
  if (e.cacheStatus === 'HIT') t.hits++;
  else if (e.cacheStatus === 'MISS') t.misses++;
  else if (e.cacheStatus === 'BYPASS') t.bypass++;
  if (trackLatency) (t.latency ??= new Uint32Array(LATENCY_SLOTS))[latencySlot(e.latencyMs)]!++;
}

function merge(into: Totals, from: Totals): void {
  into.requests += from.requests;
  into.errors += from.errors;
  into.upstream429 += from.upstream429;
  into.rateLimited += from.rateLimited;
  into.budgetRejected += from.budgetRejected;
  into.costMicros += from.costMicros;
  into.hits += from.hits;
  into.misses += from.misses;
  into.bypass += from.bypass;
  into.neurons += from.neurons;
  if (from.latency) {
    const l = (into.latency ??= new Uint32Array(LATENCY_SLOTS));
    for (let i = 0; i < LATENCY_SLOTS; i++) l[i]! += from.latency[i]!;
  }
}

export class SignalSeries {
  private readonly minutes = new Map<number, Totals>();
  private day = -1;
  private dayTotals = emptyTotals();
  private hour = -1;
  private hourCost = 0;
  /** Mean cost (micros) of each completed hour-of-week slot, with its sample count. */
  private readonly baseline = new Map<number, { mean: number; n: number }>();
  lastSeen = 0;

  constructor(private readonly retentionMs: number, private readonly trackLatency: boolean) {}

  add(e: UsageEvent, now: number): void {
    this.roll(now);
    const m = Math.floor(now / MINUTE);
    let t = this.minutes.get(m);
    if (!t) this.minutes.set(m, (t = emptyTotals()));
    addEvent(t, e, this.trackLatency);
    addEvent(this.dayTotals, e, false);
    this.hourCost += e.costMicros ?? 0;
    this.lastSeen = now;
  }

  /** Sums the whole minutes of the last `windowMs` plus the current, partial minute. */
  window(windowMs: number, now: number): Totals {
    this.roll(now);
    const out = emptyTotals();
    const last = Math.floor(now / MINUTE);
    const first = last - Math.max(1, Math.ceil(windowMs / MINUTE));
    for (const [m, t] of this.minutes) if (m >= first && m <= last) merge(out, t);
    return out;
  }

  today(now: number): Totals {
    this.roll(now);
    return this.dayTotals;
  }

  /** The mean cost of this hour-of-week in previous weeks, or undefined before a full week. */
  baselineMicros(now: number): number | undefined {
    this.roll(now);
    return this.baseline.get(hourOfWeek(Math.floor(now / HOUR)))?.mean;
  }

  private roll(now: number): void {
    const day = Math.floor(now / DAY);
    if (day !== this.day) {
      this.day = day;
      this.dayTotals = emptyTotals();
    }
    const hour = Math.floor(now / HOUR);
    if (hour !== this.hour) {
      if (this.hour >= 0 && hour > this.hour) {
        this.foldHour(this.hour, this.hourCost);
        // Quiet hours count as zero-cost samples (at most one week of them matters).
        for (let h = Math.max(this.hour + 1, hour - 168); h < hour; h++) this.foldHour(h, 0);
      }
      this.hour = hour;
      this.hourCost = 0;
    }
    const oldest = Math.floor((now - this.retentionMs) / MINUTE);
    for (const m of this.minutes.keys()) {
      if (m >= oldest) break; // insertion order is time order
      this.minutes.delete(m);
    }
  }

  private foldHour(hour: number, micros: number): void {
    const slot = hourOfWeek(hour);
    const b = this.baseline.get(slot) ?? { mean: 0, n: 0 };
    // A running mean over at most the last few weeks: recent weeks weigh more.
    const n = Math.min(b.n + 1, 4);
    b.mean += (micros - b.mean) / n;
    b.n = n;
    this.baseline.set(slot, b);
  }
}

export function hourOfWeek(hourIndex: number): number {
  return ((hourIndex % 168) + 168) % 168;
}
