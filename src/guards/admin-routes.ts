/**
 * The admin API of the guards: `/api/admin/keys` (list, create, edit, rotate, revoke),
 * `/api/admin/tenants` (list, upsert, edit) and `/api/admin/budgets` (state of every budget). Every
 * route requires the admin key (or a loopback peer when none is configured, admin-guard.ts);
 * tenant keys never pass, so one tenant cannot see or change another's keys or spend (S2).
 * `?tenant=` narrows listings for operators.
 */
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../errors/gateway-error.js';
import { requireAdmin } from '../http/admin-guard.js';
import type { ConfigHolder } from '../http/config-holder.js';
import { requestIdFrom } from '../http/request-id.js';
import { writeError, writeJson } from '../http/response-writer.js';
import { AdminKeys } from './admin-keys.js';
import { budgetReport } from './budget-report.js';
import type { GuardRuntime } from './guard-runtime.js';

export interface GuardAdminOptions {
  holder: ConfigHolder;
  guards: GuardRuntime;
}

type Handler = (req: FastifyRequest, res: ServerResponse, id: string) => Promise<unknown>;

function jsonBody(req: FastifyRequest): unknown {
  const raw = req.body;
  if (raw === undefined || raw === null || (Buffer.isBuffer(raw) && raw.length === 0)) return {};
  try {
    return JSON.parse(Buffer.isBuffer(raw) ? raw.toString('utf8') : String(raw));
  } catch {
    throw new GatewayError('invalid_json');
  }
}

function guarded(opts: GuardAdminOptions, status: number, handler: Handler) {
  return async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    reply.hijack();
    const id = requestIdFrom(req.headers['x-request-id']);
    try {
      requireAdmin(req.raw, opts.holder.current.source.admin.apiKey);
      const result = await handler(req, reply.raw, id);
      writeJson(reply.raw, status, { 'x-request-id': id, 'cache-control': 'no-store' }, JSON.stringify(result));
    } catch (thrown) {
      const err = thrown instanceof GatewayError ? thrown : new GatewayError('internal_error', { cause: thrown });
      writeError(reply.raw, err, id);
    }
  };
}

const tenantFilter = (req: FastifyRequest): string | undefined => (req.query as Record<string, string | undefined>).tenant;

export function registerGuardAdminRoutes(app: FastifyInstance, opts: GuardAdminOptions): void {
  const admin = new AdminKeys(opts.guards.access, opts.guards.registry);
  const policy = () => opts.holder.current.guards;
  app.get('/api/admin/keys', guarded(opts, 200, async (req) => ({ data: admin.list(policy(), tenantFilter(req)) })));
  app.post('/api/admin/keys', guarded(opts, 201, async (req) => admin.create(policy(), jsonBody(req))));
  app.patch('/api/admin/keys/:id', guarded(opts, 200, async (req) => admin.update(policy(), (req.params as { id: string }).id, jsonBody(req))));
  app.post('/api/admin/keys/:id/rotate', guarded(opts, 200, async (req) => admin.rotate((req.params as { id: string }).id)));
  app.delete('/api/admin/keys/:id', guarded(opts, 200, async (req) => admin.revoke((req.params as { id: string }).id)));
  app.get('/api/admin/tenants', guarded(opts, 200, async (req) => {
    const filter = tenantFilter(req);
    const data = [...opts.guards.registry.tenants(policy()).entries()]
      .filter(([name]) => filter === undefined || name === filter)
      .map(([name, t]) => ({
        name,
        source: policy().tenants.has(name) ? 'config' : 'admin',
        models: t.models ? [...t.models] : null,
        rateLimits: t.windows.map((w) => ({ window: w.name, limit: w.limit, windowSeconds: w.windowMs / 1000 })),
        budget: t.budget ?? null,
      }));
    return { data };
  }));
  app.put('/api/admin/tenants/:name', guarded(opts, 200, async (req) => admin.putTenant(policy(), (req.params as { name: string }).name, jsonBody(req))));
  app.patch('/api/admin/tenants/:name', guarded(opts, 200, async (req) => admin.updateTenant(policy(), (req.params as { name: string }).name, jsonBody(req))));
  app.get('/api/admin/budgets', guarded(opts, 200, async (req) => {
    try {
      return { data: await budgetReport(opts.guards, policy(), tenantFilter(req)) };
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      throw new GatewayError('guard_unavailable', { retryAfterSeconds: 2, cause: err });
    }
  }));
}
