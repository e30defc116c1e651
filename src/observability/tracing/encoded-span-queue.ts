/**
 * The batch queue of one protobuf exporter: spans arrive already encoded (span-encoder.ts) and
 * wait here as bytes until a batch is full (`maxBatch` spans or `maxBatchBytes` of them) or
 * `delayMs` has passed since the first of them, then go out as one export request. The queue
 * is bounded (`maxQueue` spans): past it, new spans are dropped and counted, so a slow or dead
 * collector costs memory up to the bound and never slows a request. One export is in flight at a time; what arrives
 * meanwhile waits for the next turn (batches are never split or retried here: the exporter's
 * transport does its own retries).
 *
 * This stands in for the SDK's BatchSpanProcessor, which queues span objects; it keeps that
 * processor's defaults and its flush and shutdown semantics.
 */
import type { ExportResult } from '@opentelemetry/core';

/** An exporter of encoded spans (one Buffer per span), as gateway-tracing.ts builds them. */
export interface EncodedExporter {
  export(spans: Buffer[], done: (result: ExportResult) => void): void;
  forceFlush?(): Promise<void>;
  shutdown(): Promise<void>;
}

export interface QueueOptions {
  delayMs: number;
  maxQueue: number;
  maxBatch: number;
  /** A batch's encoded size at most (a single larger span still goes out, alone). */
  maxBatchBytes: number;
}

export class EncodedSpanQueue {
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private closed = false;
  /** Spans refused because the queue was full (or arrived after shutdown). */
  dropped = 0;

  constructor(private readonly exporter: EncodedExporter, private readonly options: QueueOptions) {}

  push(span: Buffer): void {
    if (this.closed || this.waiting.length >= this.options.maxQueue) {
      this.dropped++;
      return;
    }
    this.waiting.push(span);
    this.waitingBytes += span.length;
    if (this.batchReady()) this.drain();
    else if (this.timer === undefined && this.inFlight === undefined) {
      this.timer = setTimeout(() => this.drain(), this.options.delayMs);
      this.timer.unref(); // waiting spans never keep a stopping process alive (shutdown flushes)
    }
  }

  private batchReady(): boolean {
    return this.waiting.length >= this.options.maxBatch || this.waitingBytes >= this.options.maxBatchBytes;
  }

  /** How many of the waiting spans the next batch takes: up to both limits, at least one. */
  private nextBatchLength(): number {
    const { maxBatch, maxBatchBytes } = this.options;
    if (this.waiting.length <= maxBatch && this.waitingBytes <= maxBatchBytes) return this.waiting.length;
    let n = 0;
    let bytes = 0;
    while (n < this.waiting.length && n < maxBatch && (n === 0 || bytes + this.waiting[n].length <= maxBatchBytes)) {
      bytes += this.waiting[n].length;
      n++;
    }
    return n;
  }

  /** Starts the next export unless one is running (it chains the next when it ends). */
  private drain(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.inFlight !== undefined || this.waiting.length === 0) return;
    const n = this.nextBatchLength();
    const batch = n === this.waiting.length ? this.waiting : this.waiting.slice(0, n);
    this.waiting = batch === this.waiting ? [] : this.waiting.slice(n);
    for (const span of batch) this.waitingBytes -= span.length;
    this.inFlight = new Promise<void>((resolve) => {
      this.exporter.export(batch, () => resolve());
    }).then(() => {
      this.inFlight = undefined;
      if (this.batchReady()) this.drain();
      else if (this.waiting.length > 0 && this.timer === undefined) {
        this.timer = setTimeout(() => this.drain(), this.options.delayMs);
        this.timer.unref();
      }
    });
  }

  /** Exports everything queued now, in batches, and waits for it. */
  async forceFlush(): Promise<void> {
    for (;;) {
      if (this.inFlight) await this.inFlight;
      if (this.waiting.length === 0) break;
      this.drain();
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.exporter.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.closed = true;
    await this.exporter.shutdown();
  }
}
