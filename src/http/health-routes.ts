/**
 * Health for people and orchestrators. `/health/live` answers while the process can serve at
 * all; `/health/ready` is 503 only while draining and otherwise reports `degraded` (still 200,
 * traffic keeps flowing) when a dependency such as the log store is down; `/health` adds the
 * components and every provider's passive health: breaker state, recent error rate and latency
 * of the targets that took traffic. Active probing of providers is not done here.
 */
import type { FastifyInstance } from 'fastify';
import type { ResilienceRuntime, TargetStatus } from '../resilience/resilience-runtime.js';
import { targetStatus } from '../resilience/resilience-runtime.js';
import type { StoreSinkHealth } from '../metering/store-sink.js';
import type { ConfigHolder } from './config-holder.js';
import type { GuardsHealth } from '../guards/guard-runtime.js';

export interface HealthOptions {
  holder: ConfigHolder;
  resilience: ResilienceRuntime;
  isDraining(): boolean;
  logStore(): StoreSinkHealth | undefined;
  version: string;
  startedAt: number;
  /** Rate-limit/budget store health (src/guards/): degraded while Redis is unreachable. */
  guards?(): GuardsHealth;
}

function guardsStatus(opts: HealthOptions): Status {
  const g = opts.guards?.();
  return !g || g.status === 'up' ? 'healthy' : 'degraded';
}

type Status = 'healthy' | 'degraded' | 'unhealthy';

function worst(a: Status, b: Status): Status {
  const rank = { healthy: 0, degraded: 1, unhealthy: 2 } as const;
  return rank[a] >= rank[b] ? a : b;
}

async function providerHealth(opts: HealthOptions): Promise<Array<{ name: string; status: Status; targets: TargetStatus[] }>> {
  const out = [];
  for (const name of opts.holder.current.providers.keys()) {
    const ids = [...opts.resilience.seen].filter((id) => id.startsWith(`${name}/`));
    const targets = await Promise.all(ids.map((id) => targetStatus(opts.resilience, id)));
    // A provider is unhealthy only when every target it served recently is; one bad model degrades it.
    const statuses = targets.map((t) => t.health);
    const status: Status = statuses.length === 0 ? 'healthy'
      : statuses.every((s) => s === 'unhealthy') ? 'unhealthy'
        : statuses.some((s) => s !== 'healthy') ? 'degraded' : 'healthy';
    out.push({ name, status, targets });
  }
  return out;
}

function logStoreStatus(h: StoreSinkHealth | undefined): { status: Status; detail?: StoreSinkHealth } {
  if (!h) return { status: 'healthy' };
  return { status: h.storeUp ? 'healthy' : 'degraded', detail: h };
}

export function registerHealthRoutes(app: FastifyInstance, opts: HealthOptions): void {
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => {
    if (opts.isDraining()) return reply.code(503).send({ status: 'draining' });
    const ok = logStoreStatus(opts.logStore()).status === 'healthy' && guardsStatus(opts) === 'healthy';
    return { status: ok ? 'ok' : 'degraded' };
  });
  app.get('/health', async () => {
    const providers = await providerHealth(opts);
    const logStore = logStoreStatus(opts.logStore());
    let status: Status = opts.isDraining() ? 'unhealthy' : logStore.status;
    for (const p of providers) if (p.status !== 'healthy') status = worst(status, 'degraded');
    status = worst(status, guardsStatus(opts));
    return {
      status,
      version: opts.version,
      uptimeSeconds: Math.round((Date.now() - opts.startedAt) / 1000),
      configGeneration: opts.holder.current.generation,
      draining: opts.isDraining(),
      components: { logStore: { status: logStore.status, ...logStore.detail }, ...(opts.guards ? { guards: { status: guardsStatus(opts), ...opts.guards().detail } } : {}) },
      providers,
    };
  });
}
