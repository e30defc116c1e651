/**
 * The HTTP edge: a Fastify instance that routes, enforces the body limit, and hands each
 * request to the pipeline (OpenAI-compatible endpoints) or to native pass-through. Fastify's
 * reply is hijacked for those, so response bytes come from one writer. Framework errors are
 * mapped to catalogue codes here, so clients never see Fastify's own error shapes.
 *
 * Lifecycle (listen, reload, drain) lives in gateway.ts; this file only builds the app.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorBody, errorHeaders, GatewayError, toGatewayError } from '../errors/gateway-error.js';
import { closesConnection, HOT_PATHS, hotOperation, readRequestBody } from './fast-path.js';
import { runPipeline, type PipelineHooks } from '../pipeline/pipeline.js';
import type { EventStore } from '../stores/events/event-store.js';
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import { registerLogsRoutes } from './logs-routes.js';
import type { LoadShedder } from './load-shedder.js';
import { registerAlertsRoutes } from './alerts-routes.js';
import type { AlertService } from '../alerts/alert-service.js';
import { registerHealthRoutes } from './health-routes.js';
import { providerHealth, type HealthSources } from './health-report.js';
import { registerAnalyticsRoutes } from '../analytics/http/analytics-routes.js';
import type { StoreSinkHealth } from '../metering/store-sink.js';
import { VERSION } from '../version.js';
import type { GuardRuntime } from '../guards/guard-runtime.js';
import { registerGuardAdminRoutes } from '../guards/admin-routes.js';
import type { GatewayMetrics } from '../observability/metrics/gateway-metrics.js';
import type { GatewayTracing } from '../observability/tracing/gateway-tracing.js';
import { registerMetricsRoutes } from '../observability/metrics/metrics-routes.js';
import { registerDashboardRoutes } from './dashboard/dashboard-routes.js';

const STARTED_AT = Date.now();
import type { Operation } from '../providers/types.js';
import type { ConfigHolder } from './config-holder.js';
import { handlePassthrough } from './passthrough.js';
import { registerModelsRoute } from './models-route.js';
import { requestIdFrom, timeOrderedUuid } from './request-id.js';
import { openRequestScope } from './request-scope.js';
import { writeError } from './response-writer.js';
import type { CacheRuntime } from '../cache/cache-runtime.js';
import { registerCacheRoutes } from '../cache/cache-routes.js';

export interface EdgeOptions {
  holder: ConfigHolder;
  isDraining(): boolean;
  hooks: PipelineHooks;
  resilience: ResilienceRuntime;
  logStoreHealth(): StoreSinkHealth | undefined;
  /** The request log, for the operator endpoints. */
  store(): EventStore | undefined;
  /** A failure outside any request context (a bug); logged, never shown to clients. */
  onInternalError(err: unknown): void;
  /** The Prometheus metrics behind GET /metrics; absent in tests that build a bare edge. */
  metrics?: GatewayMetrics;
  /** Request and upstream-attempt spans; absent when tracing is off. */
  tracing?: GatewayTracing;
  /** What /health reports beyond config and breakers (totals, state store, cache, tracing). */
  health?: HealthSources;
  /** Requests in flight on pipeline or pass-through routes, for draining. */
  inflight: { count: number };
  /** The response cache handed to every pipeline request. */
  cache?: CacheRuntime;
  /** Keys, limits and budgets: admin routes and health (src/guards/). */
  guards?: GuardRuntime;
  alerts: AlertService;
  /** Load shedding (L5): refuses requests beyond the in-flight cap or under memory pressure. */
  shedder?: LoadShedder;
}

const FASTIFY_ERRORS: Record<string, GatewayError['code']> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'invalid_json',
};

function edgeError(err: { code?: string; statusCode?: number }): GatewayError {
  const code = err.code ? FASTIFY_ERRORS[err.code] : undefined;
  if (code) return new GatewayError(code);
  if (err.statusCode === 413) return new GatewayError('payload_too_large');
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return new GatewayError('invalid_request');
  return new GatewayError('internal_error', { cause: err });
}

function rejectIfDraining(opts: EdgeOptions, req: FastifyRequest, reply: FastifyReply): boolean {
  if (!opts.isDraining()) return false;
  reply.hijack();
  const err = new GatewayError('shutting_down', { retryAfterSeconds: 1 });
  writeError(reply.raw, err, requestIdFrom(req.headers['x-request-id']), { connection: 'close' });
  return true;
}

async function runHot(opts: EdgeOptions, operation: Operation, req: IncomingMessage, res: ServerResponse): Promise<void> {
  opts.inflight.count++;
  try {
    if (opts.isDraining()) {
      const err = new GatewayError('shutting_down', { retryAfterSeconds: 1 });
      return writeError(res, err, requestIdFrom(req.headers['x-request-id']), { connection: 'close' });
    }
    if (opts.shedder?.check(opts.inflight.count) !== undefined) {
      // Refused before reading the body: the connection closes, so unread bytes cannot confuse it.
      return writeError(res, new GatewayError('overloaded', { retryAfterSeconds: 1 }), requestIdFrom(req.headers['x-request-id']), { connection: 'close' });
    }
    const config = opts.holder.current;
    let body: Buffer;
    try {
      body = await readRequestBody(req, config.bodyLimitBytes);
    } catch (thrown) {
      const err = toGatewayError(thrown);
      if (err.code !== 'client_closed') writeError(res, err, requestIdFrom(req.headers['x-request-id']), closesConnection(err) ? { connection: 'close' } : {});
      return;
    }
    const scope = openRequestScope(opts.resilience, config, operation, req, res, body);
    scope.ctx.cacheRuntime = opts.cache;
    if (opts.tracing) scope.ctx.trace = opts.tracing.startRequest(req.headers, operation, scope.ctx.id);
    try {
      await runPipeline(scope.ctx, opts.hooks);
    } finally {
      scope.release();
    }
  } finally {
    opts.inflight.count--;
  }
}

/** node's server with the hot path in front of Fastify's router (see fast-path.ts). */
function serverFactory(opts: EdgeOptions) {
  const server = opts.holder.current.server;
  return (fastifyHandler: (req: IncomingMessage, res: ServerResponse) => void): Server =>
    createServer({
      // Slow clients (F9): a connection that has not sent its headers, or its whole request,
      // in time is closed; checked every second rather than Node's default 30 s.
      headersTimeout: server.headersTimeoutMs,
      requestTimeout: server.requestTimeoutMs,
      connectionsCheckingInterval: 1_000,
    }, (req, res) => {
      const operation = hotOperation(req);
      if (operation === undefined) return fastifyHandler(req, res);
      runHot(opts, operation, req, res).catch((err: unknown) => {
        opts.onInternalError(err);
        if (!res.headersSent) writeError(res, new GatewayError('internal_error'), requestIdFrom(undefined));
        else res.destroy();
      });
    });
}

function passthroughRoute(opts: EdgeOptions, prefixSegments: number) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (rejectIfDraining(opts, req, reply)) return;
    reply.hijack();
    const url = req.raw.url ?? '/';
    const segments = url.split('/');
    // segments[0] is '' (leading slash); the provider name follows the prefix segments.
    const providerName = decodeURIComponent(segments[prefixSegments + 1] ?? '');
    const path = `/${segments.slice(prefixSegments + 2).join('/')}`;
    opts.inflight.count++;
    try {
      if (opts.shedder?.check(opts.inflight.count) !== undefined) {
        return writeError(reply.raw, new GatewayError('overloaded', { retryAfterSeconds: 1 }), requestIdFrom(req.headers['x-request-id']), { connection: 'close' });
      }
      await handlePassthrough({ config: opts.holder.current, providerName, path, req: req.raw, res: reply.raw, body: req.body as Buffer | undefined, hooks: opts.hooks, shared: opts.resilience, tracing: opts.tracing });
    } finally {
      opts.inflight.count--;
    }
  };
}

function registerRoutes(app: FastifyInstance, opts: EdgeOptions): void {
  // POST /v1/chat/completions, /v1/completions and /v1/embeddings never reach Fastify
  // (fast-path.ts); any other method on those paths is a 405 here.
  for (const url of HOT_PATHS) {
    app.route({
      method: ['GET', 'PUT', 'PATCH', 'DELETE'],
      url,
      handler: async (req, reply) => {
        reply.hijack();
        writeError(reply.raw, new GatewayError('method_not_allowed'), requestIdFrom(req.headers['x-request-id']), { allow: 'POST' });
      },
    });
  }
  registerModelsRoute(app, opts.holder, opts.guards);
  registerHealthRoutes(app, {
    holder: opts.holder, resilience: opts.resilience, isDraining: opts.isDraining, logStore: opts.logStoreHealth, sources: opts.health, version: VERSION, startedAt: STARTED_AT,
    guards: opts.guards ? () => opts.guards!.health() : undefined,
    load: opts.shedder ? () => ({
      shedding: opts.shedder!.shedding, inFlight: opts.inflight.count,
      shed: { ...opts.shedder!.shed, provider_queue: opts.resilience.upstreamSlots.refused() },
      upstream: opts.resilience.upstreamSlots.snapshot(),
    }) : undefined,
  });
  if (opts.guards) registerGuardAdminRoutes(app, { holder: opts.holder, guards: opts.guards });
  registerLogsRoutes(app, { holder: opts.holder, store: opts.store });
  if (opts.cache) registerCacheRoutes(app, { holder: opts.holder, cache: opts.cache });
  if (opts.metrics) registerMetricsRoutes(app, opts.holder, opts.metrics);
  registerAnalyticsRoutes(app, {
    holder: opts.holder, store: opts.store,
    providers: () => providerHealth(opts.holder.current.providers.keys(), opts.resilience, opts.health?.totals),
  });
  registerAlertsRoutes(app, { holder: opts.holder, alerts: opts.alerts });
  registerDashboardRoutes(app, { holder: opts.holder });
  app.all('/v1/:account/:gateway/:provider/*', passthroughRoute(opts, 3));
  app.all('/:provider/*', passthroughRoute(opts, 0));
}

/**
 * Answers requests Node's HTTP parser refused (oversized headers, broken framing) with our
 * error shape instead of Node's bare status line, then closes the socket: after a parse error
 * the connection's framing cannot be trusted.
 */
function clientErrorHandler(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const gerr = new GatewayError(err.code === 'HPE_HEADER_OVERFLOW' ? 'headers_too_large' : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 'request_timeout' : 'malformed_http');
  const id = timeOrderedUuid();
  const body = JSON.stringify(errorBody(gerr, id));
  const headers = { ...errorHeaders(gerr), 'x-request-id': id, connection: 'close', 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(`HTTP/1.1 ${gerr.status} ${STATUS_CODES[gerr.status] ?? 'Error'}\r\n${head}\r\n${body}`);
  // A slow-loris client may never read the answer nor close its side; do not let it hold the socket.
  setTimeout(() => socket.destroy(), 1_000).unref();
}

export interface RouteEntry {
  readonly method: string;
  readonly url: string;
}

const ROUTE_LISTS = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route registered on an edge (for the S1 route-enumeration test and diagnostics). */
export function registeredRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTE_LISTS.get(app) ?? [];
}

export function buildEdge(opts: EdgeOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: opts.holder.current.bodyLimitBytes,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestTimeout: opts.holder.current.server.requestTimeoutMs,
    keepAliveTimeout: 65_000,
    routerOptions: { maxParamLength: 512 },
    clientErrorHandler,
    serverFactory: serverFactory(opts),
  });
  const routes: RouteEntry[] = [];
  ROUTE_LISTS.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url });
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  registerRoutes(app, opts);
  app.setNotFoundHandler((req, reply) => {
    reply.hijack();
    writeError(reply.raw, new GatewayError('route_not_found'), requestIdFrom(req.headers['x-request-id']));
  });
  app.setErrorHandler((err, req, reply) => {
    const gerr = edgeError(err as { code?: string; statusCode?: number });
    reply.hijack();
    writeError(reply.raw, gerr, requestIdFrom(req.headers['x-request-id']));
  });
  return app;
}
