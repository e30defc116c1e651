/**
 * The gateway's lifecycle: build the edge over a config, listen, hot-reload the config (file
 * change or SIGHUP: an invalid new config is rejected and logged while the old one keeps
 * serving), and shut down gracefully (stop accepting, let open requests and streams finish
 * for `server.drainMs`, then close what is left and the upstream pools).
 *
 * Signal handlers are installed by the CLI, not here, so tests can run many gateways in one
 * process.
 */
import { watch, type FSWatcher } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { RuntimeConfig } from './config/compile.js';
import { ConfigError, loadConfig, loadConfigDocument, type Env } from './config/load.js';
import { ConfigHolder } from './http/config-holder.js';
import { buildEdge, registeredRoutes, type RouteEntry } from './http/server.js';
import { closeUpstreamAgents } from './upstream/upstream-client.js';
import { createLogger } from './logging/logger.js';
import { cacheHealth } from './cache/cache-health.js';
import { MissWarner } from './cache/miss-warning.js';
import { LoadShedder } from './http/load-shedder.js';
import { openServices, type GatewayServices } from './gateway-services.js';
import { addAuxiliaryCost, settleUsage } from './metering/settle-usage.js';
import { buildUsageEvent } from './metering/usage-event-builder.js';
import { createResilienceRuntime, type ResilienceRuntime } from './resilience/resilience-runtime.js';
import { probeProvider } from './resilience/probe-call.js';
import { attachGuards } from './guards/runtime-of.js';
import { settleGuards } from './guards/guard-stage.js';
import { refreshRegistry, startGuards } from './guards/start-guards.js';
import { createGatewayMetrics } from './observability/metrics/metric-sources.js';
import type { GatewayMetrics } from './observability/metrics/gateway-metrics.js';
import { RequestTotals } from './observability/request-totals.js';
import type { GatewayTracing } from './observability/tracing/gateway-tracing.js';

export interface GatewayOptions {
  configPath?: string;
  /** A config given as an object instead of a file (tests, the demo); not hot-reloaded. */
  document?: unknown;
  env?: Env;
  /** Overrides of server.host / server.port from the command line. */
  host?: string;
  port?: number;
  /** Watch the config file and reload on change (default true when a file is given). */
  watch?: boolean;
  logger?: Logger;
  /** Where per-request log lines go (default stdout); tests capture them here. */
  requestLog?: (text: string) => void;
}

export interface Gateway {
  readonly url: string;
  readonly services: GatewayServices;
  /** The Prometheus registry behind GET /metrics (tests and the bench read it directly). */
  readonly metrics: GatewayMetrics;
  /** Breakers, trackers and the retry budget of this process (tests and diagnostics). */
  readonly resilience: ResilienceRuntime;
  readonly port: number;
  /** The listening HTTP server (connection counts in tests and diagnostics). */
  server(): import('node:http').Server;
  config(): RuntimeConfig;
  /** Every HTTP route the edge registered (Fastify routes; the hot POST paths are fast-path.ts). */
  routes(): readonly RouteEntry[];
  /** Re-reads the config file; returns false (and keeps serving) when it is invalid. */
  reload(): boolean;
  close(): Promise<void>;
}

function startWatcher(path: string, reload: () => void): FSWatcher | undefined {
  let timer: NodeJS.Timeout | undefined;
  try {
    const w = watch(path, () => {
      // Editors write files in several steps; settle before reading.
      clearTimeout(timer);
      timer = setTimeout(reload, 150);
    });
    w.unref();
    return w;
  } catch {
    return undefined;
  }
}

/**
 * The OpenTelemetry SDK is loaded only when tracing is on: a gateway without tracing never pays
 * the SDK's resident memory (see runtime/lazy-require.ts for the same idea).
 */
async function loadTracing(cfg: RuntimeConfig['source']['tracing']): Promise<GatewayTracing | undefined> {
  if (!cfg.enabled) return undefined;
  const { openTracing } = await import('./observability/tracing/gateway-tracing.js');
  return openTracing(cfg);
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  const initial = options.document !== undefined ? loadConfigDocument(options.document, env) : loadConfig(options.configPath, env);
  const holder = new ConfigHolder(initial);
  const log = options.logger ?? createLogger(holder.current.logging);
  let draining = false;
  const inflight = { count: 0 };
  const services = await openServices(holder.current, log, options.requestLog);
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
  attachGuards(resilience, services.guards);
  // Admin-created keys must be known before the first request (else the gateway would look open).
  await refreshRegistry(services.guards).catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not load API keys from storage at start; retrying (set auth.requireKey to refuse keyless requests meanwhile)'));
  await services.guards.waitForStore();
  const stopGuards = startGuards(services.guards, () => holder.current, log);
  const shedder = new LoadShedder({
    maxInFlight: () => holder.current.server.maxInFlight,
    maxRssBytes: () => holder.current.server.maxRssMb * 1024 * 1024,
  });
  const metrics = createGatewayMetrics({
    maxOperations: holder.current.source.metrics.maxOperations, resilience, events: services.events,
    providers: () => holder.current.providers.keys(), server: () => app.server,
    shed: () => ({ ...shedder.shed, provider_queue: resilience.upstreamSlots.refused() }),
    logStoreWriteErrors: () => services.storeSink?.health().writeErrors ?? {},
  });
  const totals = new RequestTotals();
  const missWarner = new MissWarner((r) => log.warn(r, 'cache miss on an operation configured to expect cache hits'));
  const tracing = await loadTracing(holder.current.source.tracing);
  const app = buildEdge({
    shedder,
    guards: services.guards,
    holder,
    metrics,
    tracing,
    health: {
      totals, stateStore: () => services.redis?.check(), tracing: () => tracing?.health(),
      cache: () => cacheHealth(holder.current.cache.enabled, services.cache, services.redis),
    },
    inflight,
    isDraining: () => draining,
    store: () => services.store,
    cache: services.cache,
    alerts: services.alerts,
    resilience,
    logStoreHealth: () => services.storeSink?.health(),
    onInternalError: (err) => log.error({ err }, 'unexpected failure at the HTTP edge'),
    hooks: {
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
    },
  });
  const host = options.host ?? holder.current.server.host;
  const port = options.port ?? holder.current.server.port;
  try {
    await app.listen({ host, port });
  } catch (err) {
    // Nothing may outlive a failed start (the log store's worker thread would keep the
    // process alive): close what was opened, then report the failure.
    await app.close().catch(() => undefined);
    stopGuards();
    shedder.close();
    resilience.close();
    await services.close();
    throw err;
  }
  const addr = app.server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  log.info({ url, providers: [...holder.current.providers.keys()], routes: [...holder.current.routes.keys()] }, 'tollgate listening');

  const reload = (): boolean => {
    if (!options.configPath) return false;
    try {
      const next = loadConfig(options.configPath, env);
      holder.swap(next);
      resilience.breaker.configure(next.breaker);
      resilience.prober.plan(next.providers);
      services.alerts.reload(next);
      log.info({ generation: next.generation }, 'config reloaded');
      return true;
    } catch (err) {
      const issues = err instanceof ConfigError ? err.issues : [String(err)];
      log.error({ issues }, 'config reload rejected; still serving the previous config');
      return false;
    }
  };
  const watcher = options.configPath && options.watch !== false ? startWatcher(options.configPath, reload) : undefined;

  return {
    url,
    services,
    metrics,
    resilience,
    port: addr.port,
    server: () => app.server,
    config: () => holder.current,
    routes: () => registeredRoutes(app),
    reload,
    async close() {
      if (draining) return;
      draining = true;
      watcher?.close();
      const closing = app.close();
      const deadline = Date.now() + holder.current.server.drainMs;
      while (inflight.count > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      app.server.closeAllConnections();
      await closing;
      stopGuards();
      shedder.close();
      resilience.close();
      await services.close();
      await tracing?.shutdown().catch(() => undefined);
      await closeUpstreamAgents();
      log.info('tollgate stopped');
    },
  };
}
