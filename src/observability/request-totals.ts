/**
 * Running totals for /health: how many requests finished since start, their average latency,
 * and when each provider last answered (the provider's "last check" in passive health). Fed
 * once per request from the UsageEvent, like the metrics; provider names come from the config,
 * so the map is bounded by it.
 */
import type { UsageEvent } from '../metering/usage-event.js';

export interface ProviderActivity {
  /** Epoch ms of the last finished request that reached the provider. */
  lastAt: number;
  lastStatus: number;
}

export class RequestTotals {
  requests = 0;
  private latencySumMs = 0;
  readonly providers = new Map<string, ProviderActivity>();

  observe(e: UsageEvent): void {
    this.requests++;
    this.latencySumMs += e.latencyMs;
    if (e.provider !== null) {
      const seen = this.providers.get(e.provider);
      const at = e.time + e.latencyMs;
      if (seen) {
        seen.lastAt = at;
        seen.lastStatus = e.status;
      } else if (this.providers.size < 1024) {
        this.providers.set(e.provider, { lastAt: at, lastStatus: e.status });
      }
    }
  }

  get averageLatencyMs(): number | null {
    return this.requests === 0 ? null : Math.round((this.latencySumMs / this.requests) * 1000) / 1000;
  }
}
