/**
 * Health for people and orchestrators. `/health/live` answers while the process can serve at
 * all; `/health/ready` is 503 while draining and 503 `degraded` while a store it depends on
 * (log store, state store) is down, so an orchestrator can route around the instance;
 * `/health` adds version, uptime, request count, average latency, every component (log store,
 * state store, cache, tracing exporter, shared breakers) and every provider's health. The report is
 * assembled in health-report.ts; this file only routes.
 */
import { stdoutDrops } from '../logging/stdout.js';
import type { FastifyInstance } from 'fastify';
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import type { StoreSinkHealth } from '../metering/store-sink.js';
import type { ConfigHolder } from './config-holder.js';
import type { GuardsHealth } from '../guards/guard-runtime.js';
import { providerHealth, storesStatus, worst, type HealthSources, type Status } from './health-report.js';

export interface HealthOptions {
  holder: ConfigHolder;
  resilience: ResilienceRuntime;
  isDraining(): boolean;
  logStore(): StoreSinkHealth | undefined;
  sources?: HealthSources;
  version: string;
  startedAt: number;
  /** Rate-limit/budget store health (src/guards/): degraded while Redis is unreachable. */
  guards?(): GuardsHealth;
  /**
   * Load shedding state: while shedding, ready is 503 so orchestrators send traffic elsewhere.
   * Per-provider queues (`upstream`) are reported but do not make the replica unready: a slow
   * provider is slow for every replica.
   */
  load?(): LoadState;
}

interface LoadState {
  shedding: boolean;
  inFlight: number;
  shed: Record<string, number>;
  upstream?: Record<string, { active: number; queued: number; refused: number }>;
}

function loadComponent(l: LoadState): Record<string, unknown> {
  return { status: l.shedding ? 'degraded' : 'healthy', inFlight: l.inFlight, shed: l.shed, ...(l.upstream ? { upstream: l.upstream } : {}) };
}

/** Shared (Redis) breakers: degraded while they run on the local fallback store. */
function breakersComponent(opts: HealthOptions): Record<string, unknown> | undefined {
  const h = opts.resilience.sharedBreakers?.health();
  return h && { ...h, status: h.status === 'up' ? 'healthy' : 'degraded' };
}

function guardsStatus(opts: HealthOptions): Status {
  const g = opts.guards?.();
  return !g || g.status === 'up' ? 'healthy' : 'degraded';
}

export function registerHealthRoutes(app: FastifyInstance, opts: HealthOptions): void {
  const sources = opts.sources ?? {};
  app.get('/health/live', async () => ({ status: 'ok' }));
  app.get('/health/ready', async (_req, reply) => {
    if (opts.isDraining()) return reply.code(503).send({ status: 'draining' });
    const stores = await storesStatus(opts.logStore(), sources);
    const guards = guardsStatus(opts);
    const shedding = opts.load?.().shedding === true;
    if (stores.status !== 'healthy' || guards !== 'healthy' || shedding) {
      return reply.code(503).send({ status: 'degraded', logStore: stores.logStore.status, stateStore: stores.stateStore.status, guards, shedding });
    }
    return { status: 'ok' };
  });
  app.get('/health', async () => {
    const providers = await providerHealth(opts.holder.current.providers.keys(), opts.resilience, sources.totals);
    const stores = await storesStatus(opts.logStore(), sources);
    const cache = sources.cache?.() ?? { status: 'not_configured' };
    const tracing = sources.tracing?.() ?? { status: 'not_configured' };
    let status: Status = opts.isDraining() ? 'unhealthy' : stores.status;
    const breakers = breakersComponent(opts);
    if (tracing.status === 'degraded' || cache.status === 'degraded' || breakers?.status === 'degraded') status = worst(status, 'degraded');
    for (const p of providers) if (p.status !== 'healthy') status = worst(status, 'degraded');
    status = worst(status, guardsStatus(opts));
    if (opts.load?.().shedding) status = worst(status, 'degraded');
    return {
      status,
      version: opts.version,
      uptimeSeconds: Math.round((Date.now() - opts.startedAt) / 1000),
      requests: sources.totals?.requests ?? 0,
      averageLatencyMs: sources.totals?.averageLatencyMs ?? null,
      configGeneration: opts.holder.current.generation,
      draining: opts.isDraining(),
      components: {
        logStore: stores.logStore, stateStore: stores.stateStore, cache, tracing,
        stdout: { status: 'healthy', droppedWrites: stdoutDrops() },
        ...(opts.guards ? { guards: { status: guardsStatus(opts), ...opts.guards().detail } } : {}),
        ...(opts.load ? { load: loadComponent(opts.load()) } : {}),
        ...(breakers ? { breakers } : {}),
      },
      providers,
    };
  });
}
