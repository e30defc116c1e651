/**
 * The operator endpoints over the hourly rollups, all behind the admin key (or loopback when
 * none is configured), like the request-log routes: `GET /api/analytics/usage`,
 * `GET /api/gateway/metrics?window=…` and `POST /graphql`. They answer 503
 * `log_store_unavailable` while the log store is down or absent (`storage: none://`).
 */
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.js';
import { operatorRoute, type OperatorHandler } from '../../http/operator-route.js';
import type { ConfigHolder } from '../../http/config-holder.js';
import { writeJson } from '../../http/response-writer.js';
import { isAnalyticsStore, type AnalyticsStore } from '../analytics-store.js';
import { gatewaySummary, WINDOWS, type WindowName } from '../gateway-summary.js';
import { runGraphql } from '../graphql-api.js';
import { UsageParamError, usageQueryFrom } from '../usage-params.js';
import { toUsageView } from '../usage-view.js';

export interface AnalyticsRouteOptions {
  holder: ConfigHolder;
  store(): unknown;
  /** Providers' live health for the summary (the same list /health shows). */
  providers?(): Promise<unknown>;
}

function storeOf(opts: AnalyticsRouteOptions): AnalyticsStore {
  const store = opts.store();
  if (!isAnalyticsStore(store)) throw new GatewayError('log_store_unavailable');
  return store;
}

const guarded = (holder: ConfigHolder, handler: OperatorHandler) => operatorRoute(holder, handler, (thrown) =>
  thrown instanceof UsageParamError ? new GatewayError('invalid_request', { param: thrown.param, detail: thrown.message })
    : new GatewayError('log_store_unavailable', { cause: thrown }));

export function registerAnalyticsRoutes(app: FastifyInstance, opts: AnalyticsRouteOptions): void {
  app.get('/api/analytics/usage', guarded(opts.holder, async (req, res, id) => {
    const query = usageQueryFrom(req.query as Record<string, string | undefined>);
    const rows = await storeOf(opts).usage(query);
    const body = { from: new Date(query.from).toISOString(), to: new Date(query.to).toISOString(), groupBy: query.groupBy, data: rows.map(toUsageView) };
    writeJson(res, 200, { 'x-request-id': id }, JSON.stringify(body));
  }));
  app.get('/api/gateway/metrics', guarded(opts.holder, async (req, res, id) => {
    const window = ((req.query as Record<string, string | undefined>).window ?? '24h') as WindowName;
    if (!(window in WINDOWS)) throw new GatewayError('invalid_request', { param: 'window', detail: 'window is 1h, 24h, 7d or 30d.' });
    const summary = await gatewaySummary(storeOf(opts), window);
    const providers = (await opts.providers?.()) ?? [];
    writeJson(res, 200, { 'x-request-id': id }, JSON.stringify({ ...summary, providers }));
  }));
  app.post('/graphql', guarded(opts.holder, async (req, res, id) => {
    const raw = req.body as Buffer | undefined;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw?.toString('utf8') ?? '') as Record<string, unknown>;
    } catch {
      throw new GatewayError('invalid_json');
    }
    if (!body || typeof body !== 'object') throw new GatewayError('invalid_json');
    // GraphQL reports its own errors in the body (status 200), the usual convention for clients.
    const result = await runGraphql(storeOf(opts), body);
    writeJson(res, 200, { 'x-request-id': id }, JSON.stringify(result));
  }));
}
