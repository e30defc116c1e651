/**
 * The mock's attempt log: one record per upstream request it received, kept in a bounded ring
 * so a long benchmark cannot grow memory without limit. Tests read it to count attempts,
 * measure gaps between retries (`time` is a float in ms since the epoch, from the monotonic
 * clock anchored at `performance.timeOrigin`) and check what the gateway forwarded.
 *
 * Records are created when the request body has been read and updated in place as the answer
 * progresses (`outcome`, `closedByClient`); readers get copies, so a snapshot does not change
 * under them. Control-API calls (`/__mock/…`) are not logged.
 */
import type { Directives } from './directives.js';

export type Outcome = 'ok' | 'error' | 'cut' | 'stall' | 'reset' | 'hang';

export interface Attempt {
  seq: number;
  time: number;
  method: string;
  /** Request path without the query string. */
  path: string;
  /** Query string without `?`, or '' when there is none. */
  query: string;
  /** Model name with any `~` suffix removed; from the path for Azure and Workers AI. */
  model: string | undefined;
  /** Every request header, names lower-case, repeated headers joined with ', '. */
  headers: Record<string, string>;
  bodyBytes: number;
  /** The parsed JSON body, or undefined when it was empty or not JSON. */
  body: unknown;
  stream: boolean;
  /** The directives that applied (after precedence), {} for a normal answer. */
  directives: Directives;
  outcome: Outcome;
  /** The client went away before the mock finished its answer. */
  closedByClient: boolean;
}

export class AttemptLog {
  private ring: Attempt[] = [];
  private head = 0;
  private seq = 0;

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('attemptLogSize must be a positive integer');
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Stores the record (evicting the oldest when full) and returns it for in-place updates. */
  add(attempt: Attempt): Attempt {
    if (this.ring.length < this.capacity) {
      this.ring.push(attempt);
    } else {
      this.ring[this.head] = attempt;
      this.head = (this.head + 1) % this.capacity;
    }
    return attempt;
  }

  /** Oldest first. */
  list(): Attempt[] {
    const ordered = this.ring.slice(this.head).concat(this.ring.slice(0, this.head));
    return ordered.map((a) => ({ ...a, headers: { ...a.headers }, directives: { ...a.directives } }));
  }

  /** Empties the log and restarts numbering at 1. */
  reset(): void {
    this.ring = [];
    this.head = 0;
    this.seq = 0;
  }
}
