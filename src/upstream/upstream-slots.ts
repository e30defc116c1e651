/**
 * The cap on upstream work for one provider (L5): at most `maxConcurrent` calls in flight (a
 * call holds its slot until the provider's response body is finished or dropped), at most
 * `maxQueued` calls waiting for a slot in arrival order, and anything beyond is refused at once
 * with `provider_queue_full` (503, retryable, Retry-After) so the route can fall back to
 * another target instead of queueing. Without it, undici's per-origin queue grows without
 * bound behind its connection pool and overload turns into latency and memory.
 *
 * The common case is one comparison and one increment (tryAcquire) and a pre-bound release:
 * no promise, closure or allocation per call. Only a call that must wait allocates (its queue
 * entry and promise). A waiting call leaves the queue at once when its abort switch fires
 * (client gone, request deadline, attempt timeout); the caller maps that like any abort.
 *
 * Limits may change while calls are in flight (config reload): a lower cap takes effect as
 * calls finish, a higher one wakes waiters at once. It does not know providers or HTTP.
 */
import { GatewayError } from '../errors/gateway-error.js';
import type { AbortSwitch } from './abort-switch.js';

class Waiter {
  prev: Waiter | undefined;
  next: Waiter | undefined;
  resolve!: () => void;
  reject!: (err: Error) => void;
  constructor(private readonly owner: UpstreamSlots, readonly signal: AbortSwitch) {}
  readonly onAbort = (): void => this.owner.leave(this);
}

export class UpstreamSlots {
  active = 0;
  queued = 0;
  /** Calls refused because the queue was full, since start. */
  refused = 0;
  private head: Waiter | undefined;
  private tail: Waiter | undefined;

  constructor(private max: number, private maxWaiting: number, private readonly name = 'this provider') {}

  get maxConcurrent(): number {
    return this.max;
  }

  get maxQueued(): number {
    return this.maxWaiting;
  }

  /** New limits (config reload): a raised cap wakes waiters now, a lowered one bites as calls end. */
  setLimits(maxConcurrent: number, maxQueued: number): void {
    this.max = maxConcurrent;
    this.maxWaiting = maxQueued;
    if (this.head !== undefined && this.active < maxConcurrent) this.pump();
  }

  /** Takes a slot if one is free and nobody waits for it (first come, first served). */
  tryAcquire(): boolean {
    if (this.active >= this.max || this.head !== undefined) return false;
    this.active++;
    return true;
  }

  /**
   * Waits for a slot (after tryAcquire failed). Refused at once when the queue is full;
   * rejects with the switch's reason when it fires while waiting.
   */
  wait(signal: AbortSwitch): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (this.queued >= this.maxWaiting) {
      this.refused++;
      return Promise.reject(new GatewayError('provider_queue_full', {
        retryAfterSeconds: 1,
        detail: `${this.active} calls to ${this.name} are in flight and ${this.queued} are waiting (maxConcurrent / maxQueued).`,
      }));
    }
    const w = new Waiter(this, signal);
    const p = new Promise<void>((resolve, reject) => {
      w.resolve = resolve;
      w.reject = reject;
    });
    w.prev = this.tail;
    if (this.tail) this.tail.next = w;
    else this.head = w;
    this.tail = w;
    this.queued++;
    signal.once('abort', w.onAbort);
    return p;
  }

  /** Gives a held slot back (to the first waiter, if any). Pre-bound: pass it as a listener. */
  readonly release = (): void => {
    this.active--;
    if (this.head !== undefined) this.pump();
  };

  /** A waiter whose request was aborted: out of the queue, rejected with the abort reason. */
  leave(w: Waiter): void {
    this.unlink(w);
    w.reject(w.signal.reason ?? new Error('aborted'));
  }

  private pump(): void {
    while (this.head !== undefined && this.active < this.max) {
      const w = this.head;
      this.unlink(w);
      w.signal.removeListener('abort', w.onAbort);
      this.active++;
      w.resolve();
    }
  }

  private unlink(w: Waiter): void {
    if (w.prev) w.prev.next = w.next;
    else this.head = w.next;
    if (w.next) w.next.prev = w.prev;
    else this.tail = w.prev;
    w.prev = undefined;
    w.next = undefined;
    this.queued--;
  }
}
