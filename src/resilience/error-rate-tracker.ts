/**
 * Recent outcome counts per target — attempts and failures over a rolling window — for passive
 * health: the share of recent attempts that failed tells /health and alerts that a provider is
 * struggling before (or without) its breaker opening. Nothing here probes a provider actively.
 *
 * Each target costs two fixed-size window counters, and at most `maxKeys` targets are kept.
 */
import { BoundedMap } from './bounded-map.js';
import { WindowCounter } from './window-counter.js';

export interface ErrorRateTrackerOptions {
  /** How far back the rate looks (default 60 s). */
  readonly windowMs?: number;
  readonly maxKeys?: number;
}

export interface ErrorRate {
  /** Failed share of recent attempts, 0 when there were none. */
  readonly errorRate: number;
  /** Attempts in the window; a rate over a handful of samples means little. */
  readonly samples: number;
}

interface Counts {
  readonly attempts: WindowCounter;
  readonly failures: WindowCounter;
}

export class ErrorRateTracker {
  private readonly windowMs: number;
  private readonly counts: BoundedMap<string, Counts>;

  constructor(options: ErrorRateTrackerOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.counts = new BoundedMap(options.maxKeys ?? 1_024);
  }

  record(key: string, ok: boolean, now: number): void {
    let c = this.counts.get(key);
    if (!c) c = { attempts: new WindowCounter(this.windowMs), failures: new WindowCounter(this.windowMs) };
    c.attempts.add(now);
    if (!ok) c.failures.add(now);
    this.counts.set(key, c);
  }

  rate(key: string, now: number): ErrorRate {
    const c = this.counts.get(key);
    const samples = c ? c.attempts.sum(now) : 0;
    if (!c || samples === 0) return { errorRate: 0, samples: 0 };
    return { errorRate: c.failures.sum(now) / samples, samples };
  }
}
