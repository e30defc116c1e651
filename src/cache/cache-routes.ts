/**
 * Operator endpoint for the response cache, behind the admin guard like the log endpoints:
 * `GET /api/admin/cache` returns the counters (hits, misses, bypass, errors), the in-process
 * layer's entries and bytes, the shared layer in use and in-flight coalesced keys;
 * `DELETE /api/admin/cache` flushes every entry, or with `?tenant=NAME` only that tenant's
 * (tenant and user scopes; global entries belong to no tenant and go with a full flush).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { requireAdmin } from '../http/admin-guard.js';
import type { ConfigHolder } from '../http/config-holder.js';
import { requestIdFrom } from '../http/request-id.js';
import { writeError, writeJson } from '../http/response-writer.js';
import { tenantTag } from './cache-key.js';
import type { CacheRuntime } from './cache-runtime.js';

export interface CacheRouteOptions {
  holder: ConfigHolder;
  cache: CacheRuntime;
}

function guarded(opts: CacheRouteOptions, handler: (req: FastifyRequest) => Promise<unknown>) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    const id = requestIdFrom(req.headers['x-request-id']);
    try {
      requireAdmin(req.raw, opts.holder.current.source.admin.apiKey);
      writeJson(reply.raw, 200, { 'x-request-id': id }, JSON.stringify(await handler(req)));
    } catch (thrown) {
      const err = thrown instanceof GatewayError ? thrown : new GatewayError('internal_error', { cause: thrown });
      writeError(reply.raw, err, id);
    }
  };
}

export function registerCacheRoutes(app: FastifyInstance, opts: CacheRouteOptions): void {
  app.get('/api/admin/cache', guarded(opts, async () => ({
    enabled: opts.holder.current.cache.enabled,
    ...opts.cache.cache.stats(),
    inFlight: opts.cache.coalescer.inFlight,
    semanticEntries: opts.cache.semantic.size,
  })));
  app.delete('/api/admin/cache', guarded(opts, async (req) => {
    const tenant = (req.query as Record<string, string | undefined>).tenant;
    if (tenant !== undefined && (tenant.length === 0 || tenant.length > 256)) {
      throw new GatewayError('invalid_request', { param: 'tenant', detail: 'tenant is 1–256 characters.' });
    }
    const removed = await opts.cache.cache.flush(tenant === undefined ? undefined : `${tenantTag(tenant)}:`);
    // Vectors of flushed answers find nothing on lookup and are dropped then; a full flush clears them now.
    if (tenant === undefined) opts.cache.semantic.clear();
    return { flushed: true, tenant: tenant ?? null, removed };
  }));
}
