/**
 * The warning operators asked for when an operation configured to expect cache hits
 * (`operations.<name>.expectCacheHits`) misses the cache: usually a sign that something in
 * the request varies (a timestamp in the prompt, a random `user`), so nothing is ever reused.
 * One line per operation per interval, carrying the number of misses since the last line, so
 * a busy operation cannot flood the log. It does not decide anything; it only reports.
 */
import type { UsageEvent } from '../metering/usage-event.js';
import type { RuntimeCacheConfig } from './cache-config.js';

export interface MissReport {
  operation: string;
  misses: number;
  requestId: string;
  model: string | null;
}

export class MissWarner {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly warn: (r: MissReport) => void, private readonly intervalMs = 60_000, private readonly now = Date.now) {}

  observe(e: UsageEvent, cache: RuntimeCacheConfig): void {
    if (e.cacheStatus !== 'MISS' || e.operation === null) return;
    if (cache.operations.get(e.operation)?.expectCacheHits !== true) return;
    const t = this.now();
    const seen = this.last.get(e.operation);
    if (seen && t - seen.at < this.intervalMs) {
      seen.suppressed++;
      return;
    }
    this.last.set(e.operation, { at: t, suppressed: 0 });
    this.warn({ operation: e.operation, misses: (seen?.suppressed ?? 0) + 1, requestId: e.requestId, model: e.model });
  }
}
