/**
 * Assembles the /health report: one entry per component (log store, state store, cache,
 * tracing exporter) and per provider, and the overall status. Components that are not
 * configured say so (`not_configured`) instead of pretending to be healthy; a store that is
 * down makes the gateway `degraded` (it still serves); draining makes it `unhealthy`.
 *
 * Provider health combines the passive view (breakers, recent errors and latency of the
 * targets that took traffic) with the provider's active probe when one is configured (the
 * worse of the two; rules in resilience/target-health.ts). No request is sent from here: the
 * probes run on their own timers and this reads their latest results.
 */
import type { StoreSinkHealth } from '../metering/store-sink.js';
import type { RequestTotals } from '../observability/request-totals.js';
import type { ResilienceRuntime, TargetStatus } from '../resilience/resilience-runtime.js';
import { targetStatus } from '../resilience/resilience-runtime.js';
import type { ProbeResult } from '../resilience/provider-prober.js';
import { probeHealth } from '../resilience/target-health.js';
import type { RedisHealth } from '../stores/redis/redis-connection.js';

export type Status = 'healthy' | 'degraded' | 'unhealthy';
export type ComponentStatus = Status | 'not_configured';

export interface ComponentHealth {
  status: ComponentStatus;
  [detail: string]: unknown;
}

/** What the edge can tell health beyond the config and breakers; every part is optional. */
export interface HealthSources {
  totals?: RequestTotals;
  /** The shared Redis (`state: redis://`); undefined with `memory://`. */
  stateStore?(): Promise<RedisHealth> | undefined;
  /** The cache's own report once a cache exists; undefined means not configured. */
  cache?(): ComponentHealth | undefined;
  /** The trace exporter's last export result; undefined when tracing is off. */
  tracing?(): ComponentHealth | undefined;
}

export interface ProviderHealth {
  name: string;
  status: Status;
  /** Epoch ms of the last request it answered (passive check); null before any. */
  lastCheck: number | null;
  lastStatus: number | null;
  /** Mean recent latency of its targets, ms. */
  latencyMs: number | null;
  targets: TargetStatus[];
  /** The active probe's latest result; null when the provider has no probe configured. */
  probe: ProbeResult | null;
}

export function worst(a: Status, b: Status): Status {
  const rank = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

function mean(values: Array<number | undefined>): number | null {
  const xs = values.filter((v): v is number => v !== undefined);
  return xs.length === 0 ? null : Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 1000) / 1000;
}

export async function providerHealth(names: Iterable<string>, rt: ResilienceRuntime, totals: RequestTotals | undefined): Promise<ProviderHealth[]> {
  const out: ProviderHealth[] = [];
  for (const name of names) {
    const ids = [...rt.seen].filter((id) => id.startsWith(`${name}/`));
    const targets = await Promise.all(ids.map((id) => targetStatus(rt, id)));
    // A provider is unhealthy only when every target it served recently is; one bad model degrades it.
    const statuses = targets.map((t) => t.health);
    const status: Status = statuses.length === 0 ? 'healthy'
      : statuses.every((s) => s === 'unhealthy') ? 'unhealthy'
        : statuses.some((s) => s !== 'healthy') ? 'degraded' : 'healthy';
    const seen = totals?.providers.get(name);
    const probe = rt.prober.results().get(name);
    out.push({
      name, status: worst(status, probeHealth(probe)), lastCheck: seen?.lastAt ?? null, lastStatus: seen?.lastStatus ?? null,
      latencyMs: mean(targets.map((t) => t.latencyMs)), targets, probe: probe ?? null,
    });
  }
  return out;
}

export function logStoreHealth(h: StoreSinkHealth | undefined): ComponentHealth {
  if (!h) return { status: 'not_configured' };
  // A full or unusable spool disk (F15) degrades too: events then wait in memory.
  return { status: h.storeUp && h.spoolUp !== false ? 'healthy' : 'degraded', ...h };
}

export async function stateStoreHealth(sources: HealthSources): Promise<ComponentHealth> {
  const pending = sources.stateStore?.();
  if (!pending) return { status: 'healthy', backend: 'memory' };
  const h = await pending;
  return { status: h.status === 'up' ? 'healthy' : 'degraded', backend: 'redis', latencyMs: h.latencyMs ?? null, lastError: h.lastError ?? null };
}

/** The stores whose outage makes the gateway not ready: log store and state store. */
export async function storesStatus(logStore: StoreSinkHealth | undefined, sources: HealthSources): Promise<{ status: Status; logStore: ComponentHealth; stateStore: ComponentHealth }> {
  const log = logStoreHealth(logStore);
  const state = await stateStoreHealth(sources);
  let status: Status = 'healthy';
  for (const c of [log, state]) if (c.status === 'degraded' || c.status === 'unhealthy') status = worst(status, 'degraded');
  return { status, logStore: log, stateStore: state };
}
