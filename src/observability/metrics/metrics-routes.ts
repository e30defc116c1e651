/**
 * `GET /metrics`: the Prometheus exposition of the gateway's registry. A scraper presents the
 * separate `metrics.token` (Bearer) or the admin key; with neither configured only loopback
 * peers may scrape, like every operator endpoint. With `metrics.enabled: false` it is a 404.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../errors/gateway-error.js';
import { requireAdmin } from '../../http/admin-guard.js';
import { bearerToken } from '../../http/bearer-token.js';
import type { ConfigHolder } from '../../http/config-holder.js';
import { requestIdFrom } from '../../http/request-id.js';
import { writeError } from '../../http/response-writer.js';
import type { GatewayMetrics } from './gateway-metrics.js';

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}

/** Throws `admin_unauthorized` unless the caller holds the metrics token or the admin key. */
export function requireScraper(req: IncomingMessage, token: string | undefined, adminKey: string | undefined): void {
  const presented = bearerToken(req.headers.authorization);
  if (token !== undefined && presented !== undefined && sameSecret(presented, token)) return;
  if (token !== undefined && adminKey === undefined) throw new GatewayError('admin_unauthorized');
  requireAdmin(req, adminKey);
}

export function registerMetricsRoutes(app: FastifyInstance, holder: ConfigHolder, metrics: GatewayMetrics): void {
  app.get('/metrics', async (req, reply) => {
    reply.hijack();
    const res = reply.raw;
    const id = requestIdFrom(req.headers['x-request-id']);
    const config = holder.current.source;
    try {
      if (!config.metrics.enabled) throw new GatewayError('route_not_found');
      requireScraper(req.raw, config.metrics.token, config.admin.apiKey);
      const { contentType, body } = await metrics.scrape();
      res.writeHead(200, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'x-request-id': id, 'cache-control': 'no-store' });
      res.end(body);
    } catch (thrown) {
      writeError(res, thrown instanceof GatewayError ? thrown : new GatewayError('internal_error', { cause: thrown }), id);
    }
  });
}
