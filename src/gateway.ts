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
import { LoadShedder } from './http/load-shedder.js';
import { openServices, type GatewayServices } from './gateway-services.js';
import type { ResilienceRuntime } from './resilience/resilience-runtime.js';
import { openResilience, requestHooks } from './gateway-hooks.js';
import { attachGuards } from './guards/runtime-of.js';
import { refreshRegistry, startGuards } from './guards/start-guards.js';
import { createGatewayMetrics } from './observability/metrics/metric-sources.js';
import type { GatewayMetrics } from './observability/metrics/gateway-metrics.js';
import { RequestTotals } from './observability/request-totals.js';
import type { GatewayTracing } from './observability/tracing/gateway-tracing.js';
import { applyHeapGrowth } from './runtime/heap-growth.js';
import { disablePretenuring } from './runtime/pretenuring.js';

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

/** Re-reads the config file into the holder; an invalid file is logged and the old config kept. */
function configReloader(path: string | undefined, env: Env, d: { holder: ConfigHolder; resilience: ResilienceRuntime; services: GatewayServices; log: Logger }): () => boolean {
  return () => {
    if (!path) return false;
    try {
      const next = loadConfig(path, env);
      d.holder.swap(next);
      applyHeapGrowth(next.server.heapGrowthPercent);
      d.resilience.breaker.configure(next.breaker);
      d.resilience.prober.plan(next.providers);
      d.services.alerts.reload(next);
      d.log.info({ generation: next.generation }, 'config reloaded');
      return true;
    } catch (err) {
      const issues = err instanceof ConfigError ? err.issues : [String(err)];
      d.log.error({ issues }, 'config reload rejected; still serving the previous config');
      return false;
    }
  };
}

/** What a running gateway holds, for building the edge and for shutting down. */
interface Parts {
  holder: ConfigHolder;
  log: Logger;
  services: GatewayServices;
  resilience: ResilienceRuntime;
  shedder: LoadShedder;
  stopGuards: () => void;
  tracing: GatewayTracing | undefined;
  inflight: { count: number };
}

/** Wires the guards to the runtime and loads admin-created keys before the first request. */
async function bootGuards(services: GatewayServices, resilience: ResilienceRuntime, holder: ConfigHolder, log: Logger): Promise<() => void> {
  attachGuards(resilience, services.guards);
  // Admin-created keys must be known before the first request (else the gateway would look open).
  await refreshRegistry(services.guards).catch((err: unknown) => log.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not load API keys from storage at start; retrying (set auth.requireKey to refuse keyless requests meanwhile)'));
  await services.guards.waitForStore();
  return startGuards(services.guards, () => holder.current, log);
}

function buildGatewayEdge(p: Parts, metrics: GatewayMetrics, isDraining: () => boolean): ReturnType<typeof buildEdge> {
  const { holder, services, tracing, log } = p;
  const totals = new RequestTotals();
  return buildEdge({
    shedder: p.shedder,
    guards: services.guards,
    holder,
    metrics,
    tracing,
    health: {
      totals, stateStore: () => services.redis?.check(), tracing: () => tracing?.health(),
      cache: () => cacheHealth(holder.current.cache.enabled, services.cache, services.redis),
    },
    inflight: p.inflight,
    isDraining,
    store: () => services.store,
    cache: services.cache,
    alerts: services.alerts,
    resilience: p.resilience,
    logStoreHealth: () => services.storeSink?.health(),
    onInternalError: (err) => log.error({ err }, 'unexpected failure at the HTTP edge'),
    hooks: requestHooks({ services, metrics, totals, log }),
  });
}

/** Stops what outlives requests: guard timers, the shedder, breakers and probes, the stores. */
async function releaseParts(p: Parts): Promise<void> {
  p.stopGuards();
  p.shedder.close();
  p.resilience.close();
  await p.services.close();
}

/**
 * Stops accepting, lets requests and streams in flight finish for `server.drainMs`, cuts what
 * is left, then releases everything and flushes the traces.
 */
async function drainAndClose(p: Parts, app: ReturnType<typeof buildEdge>): Promise<void> {
  const closing = app.close();
  const deadline = Date.now() + p.holder.current.server.drainMs;
  while (p.inflight.count > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
  app.server.closeAllConnections();
  await closing;
  await releaseParts(p);
  await p.tracing?.shutdown().catch(() => undefined);
  await closeUpstreamAgents();
  p.log.info('tollgate stopped');
}

export async function startGateway(options: GatewayOptions = {}): Promise<Gateway> {
  const env = options.env ?? process.env;
  const initial = options.document !== undefined ? loadConfigDocument(options.document, env) : loadConfig(options.configPath, env);
  const holder = new ConfigHolder(initial);
  applyHeapGrowth(initial.server.heapGrowthPercent);
  disablePretenuring();
  const log = options.logger ?? createLogger(holder.current.logging);
  let draining = false;
  const requestLog = options.requestLog;
  const services = await openServices(holder.current, log, requestLog && ((chunk: Buffer) => requestLog(chunk.toString('utf8'))));
  const resilience = openResilience(holder, services, log);
  const stopGuards = await bootGuards(services, resilience, holder, log);
  const shedder = new LoadShedder({
    maxInFlight: () => holder.current.server.maxInFlight,
    maxRssBytes: () => holder.current.server.maxRssMb * 1024 * 1024,
  });
  const tracing = await loadTracing(holder.current.source.tracing);
  const parts: Parts = { holder, log, services, resilience, shedder, stopGuards, tracing, inflight: { count: 0 } };
  const metrics = createGatewayMetrics({
    maxOperations: holder.current.source.metrics.maxOperations, resilience, events: services.events,
    providers: () => holder.current.providers.keys(), server: () => app.server,
    shed: () => ({ ...shedder.shed, provider_queue: resilience.upstreamSlots.refused() }),
    logStoreWriteErrors: () => services.storeSink?.health().writeErrors ?? {},
  });
  const app = buildGatewayEdge(parts, metrics, () => draining);
  try {
    await app.listen({ host: options.host ?? holder.current.server.host, port: options.port ?? holder.current.server.port });
  } catch (err) {
    // Nothing may outlive a failed start (the log store's worker thread would keep the
    // process alive): close what was opened, then report the failure.
    await app.close().catch(() => undefined);
    await releaseParts(parts);
    throw err;
  }
  const addr = app.server.address() as AddressInfo;
  const url = `http://${addr.family === 'IPv6' ? `[${addr.address}]` : addr.address}:${addr.port}`;
  log.info({ url, providers: [...holder.current.providers.keys()], routes: [...holder.current.routes.keys()] }, 'tollgate listening');

  const reload = configReloader(options.configPath, env, { holder, resilience, services, log });
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
      await drainAndClose(parts, app);
    },
  };
}
