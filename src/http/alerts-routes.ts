/**
 * `GET /api/alerts`: what is firing now, the stored transitions (newest first; `since` epoch ms
 * or ISO, `rule`, `limit` ≤ 1000), the active rules with their thresholds, and delivery counts
 * per destination. Admin-guarded like every operator endpoint. Read-only: rules live in config.
 */
import type { FastifyInstance } from 'fastify';
import type { AlertService } from '../alerts/alert-service.js';
import { GatewayError } from '../errors/gateway-error.js';
import type { ConfigHolder } from './config-holder.js';
import { parseLimit } from './log-query.js';
import { operatorRoute } from './operator-route.js';
import { writeJson } from './response-writer.js';

type Query = Record<string, string | undefined>;

function parseSince(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (!Number.isFinite(n)) throw new GatewayError('invalid_request', { detail: '`since` must be epoch milliseconds or an ISO date', param: 'since' });
  return n;
}

export function registerAlertsRoutes(app: FastifyInstance, opts: { holder: ConfigHolder; alerts: AlertService }): void {
  // The history lives in the log store's database: its failures are the log store's.
  app.get('/api/alerts', operatorRoute(opts.holder, async (req, res, id) => {
    const q = req.query as Query;
    const engine = opts.alerts.engine;
    const history = await engine.history.list({ since: parseSince(q.since), rule: q.rule, limit: parseLimit(q.limit) });
    const rules = opts.holder.current.alerts.rules.map((r) => ({
      name: r.name, builtin: r.builtin, signal: r.signal, scope: r.scope, comparison: r.above !== undefined ? 'above' : 'below',
      threshold: r.above ?? r.below, windowMs: r.window, forMs: r.for, cooldownMs: r.cooldown, severity: r.severity, notify: r.notify,
    }));
    const firing = engine.firing().map((f) => ({ ...f, rule: f.key.slice(0, f.key.indexOf('|')), scope: f.key.slice(f.key.indexOf('|') + 1) }));
    const delivery = Object.fromEntries(engine.delivery.stats);
    writeJson(res, 200, { 'x-request-id': id }, JSON.stringify({ firing, history, rules, delivery }));
  }, (thrown) => new GatewayError('log_store_unavailable', { cause: thrown })));
}
