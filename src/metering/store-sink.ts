/**
 * The log-store sink: writes each batch to the event store, and when the store is down or
 * slower than `appendTimeoutMs`, writes the batch to the local spool instead. While the spool
 * holds anything, new batches go behind it (to the spool) so rows are stored in arrival order,
 * and a timer replays the spool into the store once it answers again. Replays are idempotent
 * (stores ignore known request ids), so a batch that timed out but did land is not duplicated.
 * Retention pruning runs here too, hourly, off the request path.
 */
import type { EventStore } from '../stores/events/event-store.js';
import type { EventSpool } from '../stores/spool/event-spool.js';
import { retentionCutoff } from '../stores/events/retention.js';
import type { EventSink } from './event-queue.js';
import type { UsageEvent } from './usage-event.js';

export interface StoreSinkOptions {
  appendTimeoutMs: number;
  replayEveryMs: number;
  retentionDays: number;
  onError?(what: 'append' | 'replay' | 'prune', err: unknown): void;
}

export interface StoreSinkHealth {
  /** The last append or replay reached the store. */
  storeUp: boolean;
  spooledBytes: number;
  spoolDropped: number;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`log store did not answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class StoreSink implements EventSink {
  readonly name = 'log-store';
  private storeUp = true;
  private readonly replayTimer: NodeJS.Timeout;
  private readonly pruneTimer: NodeJS.Timeout;
  private readonly firstPrune: NodeJS.Timeout;

  constructor(private readonly store: EventStore, private readonly spool: EventSpool, private readonly options: StoreSinkOptions) {
    this.replayTimer = setInterval(() => void this.replay(), options.replayEveryMs);
    this.replayTimer.unref();
    this.pruneTimer = setInterval(() => void this.prune(), 3_600_000);
    this.pruneTimer.unref();
    // A first pass soon after start, so a gateway restarted often still enforces retention.
    this.firstPrune = setTimeout(() => void this.prune(), 10_000);
    this.firstPrune.unref();
  }

  health(): StoreSinkHealth {
    const s = this.spool.stats();
    return { storeUp: this.storeUp, spooledBytes: s.bytes, spoolDropped: s.dropped };
  }

  async write(batch: readonly UsageEvent[]): Promise<void> {
    const rows = batch.filter((e) => e.collect);
    if (rows.length === 0) return;
    if (this.spool.stats().bytes > 0) {
      await this.spool.write(rows);
      return;
    }
    try {
      await withTimeout(this.store.append(rows), this.options.appendTimeoutMs);
      this.storeUp = true;
    } catch (err) {
      this.storeUp = false;
      this.options.onError?.('append', err);
      await this.spool.write(rows);
    }
  }

  /** Moves spooled events into the store if it answers; safe to call at any time. */
  async replay(): Promise<void> {
    if (this.spool.stats().bytes === 0) return;
    try {
      await this.spool.replay(this.store);
      this.storeUp = true;
    } catch (err) {
      this.storeUp = false;
      this.options.onError?.('replay', err);
    }
  }

  async prune(now = Date.now()): Promise<number> {
    try {
      return await this.store.prune(retentionCutoff(this.options.retentionDays, now));
    } catch (err) {
      this.options.onError?.('prune', err);
      return 0;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.replayTimer);
    clearInterval(this.pruneTimer);
    // Left running, it would reopen a closed store (and its worker thread) 10 s after start.
    clearTimeout(this.firstPrune);
    await this.replay();
    await this.spool.close();
    await this.store.close();
  }
}
