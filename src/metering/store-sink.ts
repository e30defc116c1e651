/**
 * The log-store sink: writes each batch to the event store, and when the store is down or
 * slower than `appendTimeoutMs`, writes the batch to the local spool instead. While the spool
 * holds anything, new batches go behind it (to the spool) so rows are stored in arrival order,
 * and a timer replays the spool into the store once it answers again. Replays are idempotent
 * (stores ignore known request ids), so a batch that timed out but did land is not duplicated.
 * Retention pruning runs here too, hourly, off the request path.
 *
 * Disk full (F15): a store write that fails for any reason (SQLITE_FULL included) counts as a
 * store write error and the batch is spooled. When the spool cannot write either (ENOSPC on its
 * disk), the batch is held in memory, up to MAX_HELD events (beyond that dropped and counted as
 * spoolDropped), and the replay timer retries the spool first, then the store. So a full disk
 * costs memory for a while instead of a crash or lost rows, and nothing is needed but space.
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
  onError?(what: 'append' | 'replay' | 'prune' | 'spool', err: unknown): void;
}

/** Events kept in memory while neither the store nor the spool can write. */
export const MAX_HELD = 10_000;

export interface StoreSinkHealth {
  /** The last append or replay reached the store. */
  storeUp: boolean;
  spooledBytes: number;
  /** Events lost for lack of room: spool over its bound, or memory hold full. */
  spoolDropped: number;
  /** The last spool write succeeded (false: its disk is full or unusable). */
  spoolUp: boolean;
  /** Events held in memory because the spool could not take them. */
  heldEvents: number;
  /** Failed writes since start, by target (`store`: append or replay; `spool`). */
  writeErrors: { store: number; spool: number };
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
  private spoolUp = true;
  private held: UsageEvent[] = [];
  private heldDropped = 0;
  private readonly writeErrors = { store: 0, spool: 0 };
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
    return {
      storeUp: this.storeUp, spooledBytes: s.bytes, spoolDropped: s.dropped + this.heldDropped,
      spoolUp: this.spoolUp, heldEvents: this.held.length, writeErrors: { ...this.writeErrors },
    };
  }

  async write(batch: readonly UsageEvent[]): Promise<void> {
    const rows = batch.filter((e) => e.collect);
    if (rows.length === 0) return;
    if (this.held.length > 0 || this.spool.stats().bytes > 0) {
      await this.toSpool(rows);
      return;
    }
    try {
      await withTimeout(this.store.append(rows), this.options.appendTimeoutMs);
      this.storeUp = true;
    } catch (err) {
      this.storeUp = false;
      this.writeErrors.store++;
      this.options.onError?.('append', err);
      await this.toSpool(rows);
    }
  }

  /** Spools `rows`, or holds them in memory when the spool fails or older rows are held already. */
  private async toSpool(rows: readonly UsageEvent[]): Promise<void> {
    if (this.held.length > 0) return this.hold(rows);
    try {
      await this.spool.write(rows);
      this.spoolUp = true;
    } catch (err) {
      this.spoolUp = false;
      this.writeErrors.spool++;
      this.options.onError?.('spool', err);
      this.hold(rows);
    }
  }

  private hold(rows: readonly UsageEvent[]): void {
    const room = Math.max(0, MAX_HELD - this.held.length);
    if (rows.length > room) this.heldDropped += rows.length - room;
    for (let i = 0; i < Math.min(room, rows.length); i++) this.held.push(rows[i]);
  }

  /** Moves held events to the spool; false while the spool still fails. */
  private async flushHeld(): Promise<boolean> {
    if (this.held.length === 0) return true;
    const rows = this.held;
    this.held = [];
    try {
      await this.spool.write(rows);
      this.spoolUp = true;
      return true;
    } catch (err) {
      this.spoolUp = false;
      this.writeErrors.spool++;
      this.options.onError?.('spool', err);
      const later = this.held;
      this.held = [];
      this.hold(rows);
      this.hold(later);
      return false;
    }
  }

  /** Moves held and spooled events into the store if it answers; safe to call at any time. */
  async replay(): Promise<void> {
    if (!(await this.flushHeld())) return;
    if (this.spool.stats().bytes === 0) return;
    try {
      // The store is up as soon as a replayed batch lands, not only once the whole replay has
      // returned: the spool may already read empty while its replay finishes its last checks,
      // and health must not report a working store as down meanwhile.
      await this.spool.replay({
        append: async (rows) => {
          const inserted = await this.store.append(rows);
          this.storeUp = true;
          return inserted;
        },
      });
      this.storeUp = true;
    } catch (err) {
      this.storeUp = false;
      this.writeErrors.store++;
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
