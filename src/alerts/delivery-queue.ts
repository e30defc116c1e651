/**
 * Gets notifications to their destinations without ever making a caller wait: `enqueue`
 * returns at once; a few sends run concurrently in the background, each with a timeout, and a
 * failed send is retried with exponential backoff and full jitter (a 4xx other than 429 is not
 * retried). The queue is bounded: beyond its capacity a notification is dropped and counted.
 * Every outcome is counted per destination, for metrics and /api/alerts.
 *
 * It keeps nothing on disk: alert history is stored separately; a notification still queued
 * when the process stops is attempted during `close` for a short grace period, then counted lost.
 */
import { backoffDelay, type BackoffPolicy } from '../resilience/backoff.js';
import type { Notification } from './alert-message.js';
import { PermanentDeliveryError, type Destination } from './destinations/destination.js';

export interface DeliveryOptions {
  maxAttempts: number;
  timeoutMs: number;
  capacity: number;
  backoff?: BackoffPolicy;
  concurrency?: number;
  onFailure?(destination: string, err: unknown, final: boolean): void;
}

export interface DeliveryStats {
  sent: number;
  failed: number;
  retried: number;
  dropped: number;
}

interface Job {
  dest: Destination;
  n: Notification;
  attempt: number;
}

export class DeliveryQueue {
  private readonly pending: Job[] = [];
  private active = 0;
  private readonly timers = new Map<NodeJS.Timeout, Job>();
  private readonly idleWaiters: Array<() => void> = [];
  readonly stats = new Map<string, DeliveryStats>();

  constructor(private readonly options: DeliveryOptions) {}

  enqueue(dest: Destination, n: Notification): void {
    if (this.pending.length + this.active + this.timers.size >= this.options.capacity) {
      this.count(dest.name).dropped++;
      return;
    }
    this.pending.push({ dest, n, attempt: 1 });
    this.pump();
  }

  /** Resolves when nothing is queued, sending or waiting to retry (tests, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(graceMs = 5_000): Promise<void> {
    // Retries waiting on a timer are sent now rather than abandoned.
    for (const [t, job] of this.timers) {
      clearTimeout(t);
      this.timers.delete(t);
      this.pending.push(job);
    }
    this.pump();
    await Promise.race([this.idle(), new Promise((r) => setTimeout(r, graceMs).unref())]);
  }

  totals(): DeliveryStats {
    const t: DeliveryStats = { sent: 0, failed: 0, retried: 0, dropped: 0 };
    for (const s of this.stats.values()) {
      t.sent += s.sent; t.failed += s.failed; t.retried += s.retried; t.dropped += s.dropped;
    }
    return t;
  }

  private count(name: string): DeliveryStats {
    let s = this.stats.get(name);
    if (!s) this.stats.set(name, (s = { sent: 0, failed: 0, retried: 0, dropped: 0 }));
    return s;
  }

  private isIdle(): boolean {
    return this.pending.length === 0 && this.active === 0 && this.timers.size === 0;
  }

  private pump(): void {
    const limit = this.options.concurrency ?? 4;
    while (this.active < limit && this.pending.length > 0) {
      const job = this.pending.shift()!;
      this.active++;
      void this.run(job).finally(() => {
        this.active--;
        this.pump();
        if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
      });
    }
  }

  private async run(job: Job): Promise<void> {
    const stats = this.count(job.dest.name);
    try {
      await job.dest.send(job.n, AbortSignal.timeout(this.options.timeoutMs));
      stats.sent++;
    } catch (err) {
      const final = err instanceof PermanentDeliveryError || job.attempt >= this.options.maxAttempts;
      this.options.onFailure?.(job.dest.name, err, final);
      if (final) {
        stats.failed++;
        return;
      }
      stats.retried++;
      this.retryLater({ ...job, attempt: job.attempt + 1 });
    }
  }

  private retryLater(job: Job): void {
    const policy = this.options.backoff ?? { type: 'exponential', baseMs: 1_000, maxMs: 60_000 };
    const t = setTimeout(() => {
      this.timers.delete(t);
      this.pending.push(job);
      this.pump();
    }, backoffDelay(policy, job.attempt - 1, Math.random));
    // Kept referenced: a pending retry is work to finish; close() sends it right away.
    this.timers.set(t, job);
  }
}
