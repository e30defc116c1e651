/**
 * The bounded, asynchronous road from the request path to the sinks. `push` never blocks and
 * never throws: it appends to an in-memory buffer, and a timer (or a full batch) hands the
 * buffer to every sink as one batch. When the buffer is at capacity the event is dropped and
 * counted — never silently — because a request must not wait for a log store. `close` flushes
 * what is left and waits for the sinks, which is what graceful shutdown calls.
 *
 * A sink that fails or is slow is its own business (the store sink spools); the queue only
 * makes sure one slow sink cannot hold more than one batch in flight at a time.
 */
import type { UsageEvent } from './usage-event.js';

export interface EventSink {
  readonly name: string;
  write(batch: readonly UsageEvent[]): Promise<void>;
  close?(): Promise<void>;
}

export interface EventQueueOptions {
  capacity: number;
  batchSize: number;
  flushMs: number;
  onSinkError?(sink: string, err: unknown): void;
}

export interface EventQueueStats {
  queued: number;
  dropped: number;
  delivered: number;
  sinkFailures: number;
}

export class EventQueue {
  private buffer: UsageEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inflight: Promise<void> = Promise.resolve();
  private closed = false;
  readonly stats: EventQueueStats = { queued: 0, dropped: 0, delivered: 0, sinkFailures: 0 };

  constructor(private readonly sinks: readonly EventSink[], private readonly options: EventQueueOptions) {}

  push(event: UsageEvent): void {
    if (this.closed || this.buffer.length >= this.options.capacity) {
      this.stats.dropped++;
      return;
    }
    this.buffer.push(event);
    this.stats.queued++;
    if (this.buffer.length >= this.options.batchSize) this.flushSoon(0);
    else this.flushSoon(this.options.flushMs);
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
    this.timer.unref();
  }

  /** Hands everything buffered to the sinks, after the previous batch has been delivered. */
  flush(): Promise<void> {
    const next = this.inflight.then(() => this.deliver());
    this.inflight = next;
    return next;
  }

  private async deliver(): Promise<void> {
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, this.options.batchSize);
      const results = await Promise.allSettled(this.sinks.map((s) => s.write(batch)));
      results.forEach((r, i) => {
        if (r.status === 'rejected') {
          this.stats.sinkFailures++;
          this.options.onSinkError?.(this.sinks[i].name, r.reason);
        }
      });
      this.stats.delivered += batch.length;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.flush();
    await Promise.allSettled(this.sinks.map((s) => s.close?.()));
  }
}
