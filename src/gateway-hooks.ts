/**
 * What a gateway does around each request besides the pipeline itself, wired once at start:
 * the pipeline hooks (log an internal failure; when a request ends, settle its usage and cost,
 * settle its budget reservation, build its one UsageEvent and hand it to the event queue, the
 * request totals, the cache-miss warning, the metrics and the trace), and the resilience
 * runtime with its breaker and probe notifications.
 *
 * It does not own any of these services (gateway-services.ts opens them, gateway.ts closes
 * them); the order of the finish steps matters and is written down here once.
 */
import type { Logger } from 'pino';
import { MissWarner } from './cache/miss-warning.js';
import type { GatewayServices } from './gateway-services.js';
import type { ConfigHolder } from './http/config-holder.js';
import { settleGuards } from './guards/guard-stage.js';
import { addAuxiliaryCost, settleUsage } from './metering/settle-usage.js';
import { buildUsageEvent } from './metering/usage-event-builder.js';
import type { GatewayMetrics } from './observability/metrics/gateway-metrics.js';
import type { RequestTotals } from './observability/request-totals.js';
import type { PipelineHooks } from './pipeline/pipeline.js';
import { probeProvider } from './resilience/probe-call.js';
import { createResilienceRuntime, type ResilienceRuntime } from './resilience/resilience-runtime.js';

export interface HookSources {
  services: GatewayServices;
  metrics: GatewayMetrics;
  totals: RequestTotals;
  log: Logger;
}

export function requestHooks({ services, metrics, totals, log }: HookSources): PipelineHooks {
  const missWarner = new MissWarner((r) => log.warn(r, 'cache miss on an operation configured to expect cache hits'));
  return {
    onError: (err, ctx) => {
      if (err.code === 'internal_error') log.error({ requestId: ctx.id, err: err.cause }, 'unexpected failure in request pipeline');
    },
    onFinish: (ctx) => {
      // A native call the adapter could not name a model for keeps an unknown cost (null).
      if (ctx.endpoint !== 'passthrough' || ctx.target?.model) settleUsage(ctx, ctx.config.pricer);
      if (ctx.target === undefined && ctx.costMicros === null) ctx.costMicros = 0; // never reached a provider
      addAuxiliaryCost(ctx); // e.g. the semantic cache's embedding call
      settleGuards(ctx); // budget reservation → actual cost, exactly once
      const event = buildUsageEvent(ctx);
      services.events.push(event);
      totals.observe(event);
      missWarner.observe(event, ctx.config.cache);
      if (ctx.config.source.metrics.enabled) metrics.observe(event, ctx.config, ctx.failedAttempts);
      ctx.trace?.end(event);
    },
  };
}

/** Breakers (shared through Redis when the gateway has it), trackers, probes, upstream caps. */
export function openResilience(holder: ConfigHolder, services: GatewayServices, log: Logger): ResilienceRuntime {
  const resilience = createResilienceRuntime(holder.current.breaker, holder.current.retryBudgetRatio, {
    redis: services.redis,
    onTransition: (t) => {
      log.warn({ target: t.key, from: t.from, to: t.to, failures: t.failures }, 'circuit breaker changed state');
      services.alerts.engine.signals.breakerChanged(t.key, t.to);
    },
    probe: (provider, timeoutMs, abort) => probeProvider(provider, timeoutMs, holder.current.addressPolicy, abort),
    onProbe: (provider, r, prev) => {
      if (r.status !== prev.status) log[r.status === 'up' ? 'info' : 'warn']({ provider, status: r.status, errorCode: r.errorCode, latencyMs: r.latencyMs }, 'provider probe changed state');
    },
  });
  resilience.prober.plan(holder.current.providers);
  return resilience;
}
