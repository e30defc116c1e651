/**
 * Builds the gateway's metrics with their scrape-time sources wired to the live runtime:
 * breaker states of the targets that took traffic (worst per provider), provider probe results, the HTTP server's open
 * connections, the event queue's drop count and the unknown-price count. Kept out of
 * gateway.ts so the lifecycle file only makes one call.
 */
import type { Server } from 'node:http';
import { unknownPriceCounts } from '../../config/compile.js';
import type { EventQueue } from '../../metering/event-queue.js';
import type { ResilienceRuntime } from '../../resilience/resilience-runtime.js';
import { GatewayMetrics } from './gateway-metrics.js';

/** Open (1) is worse than half-open (2), which is worse than closed (0). */
function worse(a: number, b: number): number {
  const rank = (v: number): number => (v === 1 ? 2 : v === 2 ? 1 : 0);
  return rank(a) >= rank(b) ? a : b;
}

async function breakerStates(rt: ResilienceRuntime, providers: Iterable<string>): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const p of providers) out.set(p, 0);
  for (const id of rt.seen) {
    const provider = id.slice(0, id.indexOf('/'));
    if (!out.has(provider)) continue;
    out.set(provider, worse(out.get(provider) ?? 0, await rt.breaker.gauge(id)));
  }
  return out;
}

export interface MetricsWiring {
  maxOperations: number;
  resilience: ResilienceRuntime;
  providers(): Iterable<string>;
  events: EventQueue;
  server(): Server | undefined;
  shed?(): Readonly<Record<string, number>>;
  logStoreWriteErrors?(): Readonly<Record<string, number>>;
}

export function createGatewayMetrics(w: MetricsWiring): GatewayMetrics {
  return new GatewayMetrics(w.maxOperations, {
    breakerStates: () => breakerStates(w.resilience, w.providers()),
    activeConnections: () => new Promise((resolve) => {
      const server = w.server();
      if (!server) return resolve(0);
      server.getConnections((err, count) => resolve(err ? 0 : count));
    }),
    logQueueDropped: () => w.events.stats.dropped,
    shedRequests: () => w.shed?.() ?? {},
    logStoreWriteErrors: () => w.logStoreWriteErrors?.() ?? {},
    probes: () => w.resilience.prober.results(),
    unknownPrices: () => {
      let sum = 0;
      for (const n of unknownPriceCounts.values()) sum += n;
      return sum;
    },
  });
}
