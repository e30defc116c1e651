/**
 * Load shedding at the edge (L5): a request is refused at once, before its body is read, when
 * more requests are in flight than `server.maxInFlight` or when the process is under memory
 * pressure (resident set above `server.maxRssMb`, or the V8 heap above 92% of its limit).
 * Refusing early keeps the admitted requests' latency and the process alive; the client gets
 * 503 `overloaded` with `Retry-After: 1` and retries elsewhere or later.
 *
 * Memory is sampled on a timer (every 250 ms), never per request. Shedding is visible: counts
 * by reason for metrics, and `shedding` (anything refused in the last 5 s, or pressure now)
 * turns `/health/ready` degraded. It does not queue requests: a queue would only move the
 * overload into latency.
 */
import { getHeapStatistics } from 'node:v8';

export type ShedReason = 'in_flight' | 'memory';

export interface ShedderOptions {
  maxInFlight(): number;
  maxRssBytes(): number;
  sampleEveryMs?: number;
  heapRatio?: number;
  /** Tests inject memory readings. */
  readMemory?(): { rss: number; heapUsed: number; heapLimit: number };
}

const RECENT_MS = 5_000;

function readMemory(): { rss: number; heapUsed: number; heapLimit: number } {
  const h = getHeapStatistics();
  return { rss: process.memoryUsage.rss(), heapUsed: h.used_heap_size, heapLimit: h.heap_size_limit };
}

export class LoadShedder {
  readonly shed: Record<ShedReason, number> = { in_flight: 0, memory: 0 };
  private pressure = false;
  private lastShedAt = -Infinity;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly options: ShedderOptions) {
    this.timer = setInterval(() => this.sample(), options.sampleEveryMs ?? 250);
    this.timer.unref();
  }

  sample(): void {
    const m = (this.options.readMemory ?? readMemory)();
    const rssLimit = this.options.maxRssBytes();
    this.pressure = (rssLimit > 0 && m.rss > rssLimit) || m.heapUsed > m.heapLimit * (this.options.heapRatio ?? 0.92);
  }

  /** Why this request must be refused (the count includes it), or undefined to admit it. */
  check(inFlight: number): ShedReason | undefined {
    const reason: ShedReason | undefined = inFlight > this.options.maxInFlight() ? 'in_flight' : this.pressure ? 'memory' : undefined;
    if (reason) {
      this.shed[reason]++;
      this.lastShedAt = Date.now();
    }
    return reason;
  }

  get shedding(): boolean {
    return this.pressure || Date.now() - this.lastShedAt < RECENT_MS;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
