/**
 * A sliding window for large limits, with memory bounded by time instead of by the limit: the
 * window is cut into at most BUCKETS_PER_WINDOW buckets of equal width and keeps one count per
 * bucket that saw a request, instead of one timestamp per request (stamp-ring.ts). A busy key
 * with a limit of a million a day then costs a few thousand numbers, not a million.
 *
 * It is exact at bucket resolution and errs only towards refusing: every request counts as if it
 * came at the last instant of its bucket, so it leaves the window up to one bucket width
 * (windowMs / BUCKETS_PER_WINDOW, 86 s for a day, 60 ms for a minute) later than its exact time,
 * never earlier. The window never holds more than its limit.
 *
 * Same interface as StampRing, so the memory store treats both alike; the Redis store applies
 * the same rule in Lua (redis-guard-store.ts).
 */
export const BUCKETS_PER_WINDOW = 1000;

/** Limits up to this keep exact per-request stamps (stamp-ring.ts); larger ones use buckets. */
export const EXACT_UP_TO = 10_000;

export function bucketWidthMs(windowMs: number): number {
  return Math.max(1, Math.ceil(windowMs / BUCKETS_PER_WINDOW));
}

export class BucketRing {
  /** Bucket ids (start / width), oldest first, and their counts. */
  private ids: number[] = [];
  private counts: number[] = [];
  private head = 0;
  private total = 0;

  constructor(private readonly widthMs: number) {}

  get size(): number {
    return this.total;
  }

  /** The i-th oldest entry's stamp, taken as the last instant of its bucket (0 = oldest). */
  at(i: number): number {
    let seen = 0;
    for (let k = this.head; k < this.ids.length; k++) {
      seen += this.counts[k];
      if (seen > i) return (this.ids[k] + 1) * this.widthMs - 1;
    }
    return Number.NaN;
  }

  /** Drops every bucket whose last instant is at or before `cutoff`. */
  dropThrough(cutoff: number): void {
    while (this.head < this.ids.length && (this.ids[this.head] + 1) * this.widthMs - 1 <= cutoff) {
      this.total -= this.counts[this.head];
      this.head++;
    }
    // Compact now and then so the arrays never grow past a window's worth of buckets.
    if (this.head > BUCKETS_PER_WINDOW) {
      this.ids = this.ids.slice(this.head);
      this.counts = this.counts.slice(this.head);
      this.head = 0;
    }
  }

  push(stamp: number): void {
    const id = Math.floor(stamp / this.widthMs);
    const last = this.ids.length - 1;
    if (last >= this.head && this.ids[last] === id) this.counts[last]++;
    else {
      this.ids.push(id);
      this.counts.push(1);
    }
    this.total++;
  }

  /** Buckets held (for tests: bounded by the window, whatever the number of requests). */
  get buckets(): number {
    return this.ids.length - this.head;
  }
}
