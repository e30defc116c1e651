/**
 * A count of events over the last `windowMs`, kept in a fixed ring of time slices so memory is
 * constant however many events arrive. Used for "requests lately" (the retry budget's cap) and
 * for passive health (failures and attempts lately).
 *
 * The window is approximate by design: a slice is dropped whole once it is older than the
 * window, so the sum covers between (slices-1)/slices and all of the window. That is plenty for
 * health and budgeting, and keeps every operation O(slices) with no per-event allocation.
 */

export class WindowCounter {
  private readonly sliceMs: number;
  /** Count per slice, and the absolute slice number that count belongs to. */
  private readonly counts: number[];
  private readonly slots: number[];

  constructor(windowMs: number, slices = 10) {
    if (!(windowMs > 0) || !Number.isInteger(slices) || slices < 1) {
      throw new RangeError('WindowCounter needs a positive window and a whole number of slices');
    }
    this.sliceMs = windowMs / slices;
    this.counts = new Array<number>(slices).fill(0);
    this.slots = new Array<number>(slices).fill(Number.NEGATIVE_INFINITY);
  }

  add(now: number, amount = 1): void {
    const slot = Math.floor(now / this.sliceMs);
    const i = this.indexOf(slot);
    if (this.slots[i] !== slot) {
      this.slots[i] = slot;
      this.counts[i] = 0;
    }
    this.counts[i] += amount;
  }

  /** Events within the window ending at `now`. */
  sum(now: number): number {
    const current = Math.floor(now / this.sliceMs);
    let total = 0;
    for (let i = 0; i < this.counts.length; i++) {
      const age = current - this.slots[i];
      if (age >= 0 && age < this.counts.length) total += this.counts[i];
    }
    return total;
  }

  private indexOf(slot: number): number {
    const n = this.counts.length;
    return ((slot % n) + n) % n;
  }
}
