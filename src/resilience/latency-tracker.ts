/**
 * Moving-average latency per target, for the `latency` routing strategy. Each sample moves the
 * average by `alpha` of the difference (an exponentially weighted moving average), so recent
 * behaviour dominates while a single outlier cannot flip the ranking; the first sample is taken
 * as is.
 *
 * An average older than `staleAfterMs` reads as unknown. Without that, a target that was slow
 * once would never be chosen again and so never measured again; as unknown it is tried early
 * (see target-selector.ts) and gets a fresh figure. Which latency to feed (first byte of a
 * successful attempt, or the elapsed time of a timeout) is the caller's choice. Memory is
 * bounded by `maxKeys`.
 */
import { BoundedMap } from './bounded-map.js';

export interface LatencyTrackerOptions {
  /** Weight of each new sample, in (0, 1] (default 0.3). */
  readonly alpha?: number;
  /** Averages not updated for this long read as unknown (default 5 minutes). */
  readonly staleAfterMs?: number;
  readonly maxKeys?: number;
}

interface Average {
  readonly ms: number;
  readonly at: number;
}

export class LatencyTracker {
  private readonly alpha: number;
  private readonly staleAfterMs: number;
  private readonly averages: BoundedMap<string, Average>;

  constructor(options: LatencyTrackerOptions = {}) {
    this.alpha = options.alpha ?? 0.3;
    if (!(this.alpha > 0 && this.alpha <= 1)) throw new RangeError('latency alpha must be in (0, 1]');
    this.staleAfterMs = options.staleAfterMs ?? 300_000;
    this.averages = new BoundedMap(options.maxKeys ?? 1_024);
  }

  record(key: string, latencyMs: number, now: number): void {
    if (!Number.isFinite(latencyMs) || latencyMs < 0) return;
    const prev = this.averages.get(key);
    const ms = prev === undefined || this.isStale(prev, now) ? latencyMs : prev.ms + this.alpha * (latencyMs - prev.ms);
    this.averages.set(key, { ms, at: now });
  }

  /** The moving average in ms, or undefined when never measured or stale. */
  average(key: string, now: number): number | undefined {
    const avg = this.averages.get(key);
    return avg === undefined || this.isStale(avg, now) ? undefined : avg.ms;
  }

  private isStale(avg: Average, now: number): boolean {
    return now - avg.at > this.staleAfterMs;
  }
}
