/**
 * The accepted-request timestamps of one sliding window, oldest first, in a growable ring of
 * doubles. Expired stamps leave from the front by moving an index; new ones enter at the back;
 * the ring doubles when full (amortised O(1)) and never holds more than the window's limit.
 * Backed by a Float64Array, so a busy window of hundreds of thousands of stamps is one flat
 * buffer the garbage collector never scans or copies, unlike a growing JS array.
 *
 * It knows nothing about limits or keys (memory-guard-store.ts).
 */
const INITIAL = 8;

export class StampRing {
  private buf = new Float64Array(INITIAL);
  private head = 0;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The i-th oldest stamp (0 = oldest); i must be below size. */
  at(i: number): number {
    return this.buf[(this.head + i) % this.buf.length];
  }

  /** Drops every stamp at or before `cutoff`. */
  dropThrough(cutoff: number): void {
    while (this.count > 0 && this.buf[this.head] <= cutoff) {
      this.head = (this.head + 1) % this.buf.length;
      this.count--;
    }
  }

  push(stamp: number): void {
    if (this.count === this.buf.length) this.grow();
    this.buf[(this.head + this.count) % this.buf.length] = stamp;
    this.count++;
  }

  private grow(): void {
    const next = new Float64Array(this.buf.length * 2);
    for (let i = 0; i < this.count; i++) next[i] = this.at(i);
    this.buf = next;
    this.head = 0;
  }
}
