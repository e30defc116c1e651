/**
 * Stage "guard" (after resolve, before cache and upstream): the key's and tenant's model
 * permissions, then rate limits (one atomic store call for every window that applies), then
 * the budget reservation of the request's worst-case cost (another one). The reservation is
 * settled to the actual cost by `settleGuards`, called once from the gateway's onFinish for
 * every outcome (success, error, cache hit at cost 0, client abort, partial stream).
 *
 * A request with nothing to guard (open gateway, no limits configured) passes without a
 * store call or an await.
 */
import { GatewayError } from '../errors/gateway-error.js';
import { microsToUsd } from '../metering/pricing/micros.js';
import type { RequestContext } from '../pipeline/context.js';
import { keyOf } from './authenticate-key.js';
import { budgetCounters, type BudgetCounter } from './budget-windows.js';
import type { AccessRules, BudgetLimits, KeyRecord } from './guard-policy.js';
import type { GuardRuntime, GuardTicket } from './guard-runtime.js';
import { clientIp } from './peer-list.js';
import { planRateChecks, type PlannedCheck } from './rate-checks.js';
import { rateHeaders, retryAfterSeconds } from './ratelimit-headers.js';
import { guardsOf } from './runtime-of.js';
import { worstCaseMicros } from './worst-case-cost.js';

const TICKETS = new WeakMap<RequestContext, GuardTicket>();

function checkAllowed(ctx: RequestContext, who: string, rules: AccessRules | undefined): void {
  if (!rules?.models) return;
  const asked = ctx.requestedModel.toLowerCase();
  if (rules.models.has(asked) || (ctx.routeAlias !== undefined && rules.models.has(ctx.routeAlias.toLowerCase()))) return;
  throw new GatewayError('key_not_allowed', { param: 'model', detail: `The ${who} may not use "${ctx.requestedModel.slice(0, 128)}".` });
}

async function applyRateLimits(ctx: RequestContext, guards: GuardRuntime, checks: PlannedCheck[]): Promise<void> {
  const replicas = ctx.config.guards.replicas;
  const hit = await guards.hit(checks, ctx.id, replicas);
  const limits = checks.map((c) => (hit.degraded ? Math.max(1, Math.floor(c.limit / replicas)) : c.limit));
  const headers = rateHeaders(checks, limits, hit);
  if (headers && !ctx.res.headersSent) {
    ctx.res.setHeader('ratelimit', headers.ratelimit);
    ctx.res.setHeader('ratelimit-policy', headers.policy);
  }
  if (!hit.allowed) throw new GatewayError('rate_limit_exceeded', { retryAfterSeconds: retryAfterSeconds(hit.retryAfterMs) });
}

function budgetOwners(ctx: RequestContext, key: KeyRecord | undefined, tenant: AccessRules | undefined): Array<{ scope: string; owner: string; limits: BudgetLimits }> {
  const out = [];
  if (key?.budget) out.push({ scope: `key:${encodeURIComponent(key.id)}`, owner: `key "${key.name}"`, limits: key.budget });
  if (tenant?.budget && ctx.tenant !== null) out.push({ scope: `tenant:${encodeURIComponent(ctx.tenant)}`, owner: `tenant "${ctx.tenant}"`, limits: tenant.budget });
  return out;
}

const usd = (micros: number): string => `$${microsToUsd(micros).toFixed(6)}`;

function exhausted(ctx: RequestContext, c: BudgetCounter, used: number): GatewayError {
  const detail = `The ${c.window} budget of ${c.owner} is exhausted: limit ${usd(c.limit)}, spent or reserved ${usd(used)}, resets at ${new Date(c.resetsAt).toISOString()}.`;
  return new GatewayError(ctx.config.guards.exhaustedStatus === 429 ? 'insufficient_quota' : 'budget_exceeded', { detail });
}

async function reserveBudget(ctx: RequestContext, guards: GuardRuntime, owners: ReturnType<typeof budgetOwners>): Promise<void> {
  const worst = worstCaseMicros(ctx);
  if (worst === null) {
    throw new GatewayError('request_cost_too_high', { param: 'model', detail: 'A budget applies, and this model has no known price (add one under `pricing`).' });
  }
  const caps = owners.map((o) => o.limits.perRequest).filter((c): c is number => c !== undefined);
  const cap = caps.length > 0 ? Math.min(...caps) : undefined;
  if (cap !== undefined && worst > cap) {
    throw new GatewayError('request_cost_too_high', { param: 'max_tokens', detail: `Worst-case cost ${usd(worst)} exceeds the per-request cap ${usd(cap)}; lower max_tokens or the input.` });
  }
  const now = Date.now();
  const counters = owners.flatMap((o) => budgetCounters(o.scope, o.owner, o.limits, now));
  if (counters.length === 0) return;
  const r = await guards.reserve(counters, worst);
  if (!r.ok) {
    const s = r.states[r.refused];
    throw exhausted(ctx, counters[r.refused], s.spent + s.reserved);
  }
  TICKETS.set(ctx, { keys: counters.map((c) => c.key), reserved: worst, ttlMs: Math.max(...counters.map((c) => c.ttlMs)), limits: counters.map((c) => c.limit), settled: false });
}

export function guard(ctx: RequestContext): void | Promise<void> {
  const guards = guardsOf(ctx.shared);
  if (!guards) return;
  const policy = ctx.config.guards;
  const key = keyOf(ctx);
  const tenant = guards.registry.tenant(policy, ctx.tenant);
  checkAllowed(ctx, `key "${key?.name}"`, key);
  checkAllowed(ctx, `tenant "${ctx.tenant}"`, tenant);
  const checks = policy.classes.length > 0 || key || tenant ? planRateChecks(ctx, clientIp(ctx.req, policy.trustedProxies), key, tenant) : [];
  const owners = budgetOwners(ctx, key, tenant);
  if (checks.length === 0 && owners.length === 0) return;
  return (async () => {
    if (checks.length > 0) await applyRateLimits(ctx, guards, checks);
    if (owners.length > 0) await reserveBudget(ctx, guards, owners);
  })();
}

/** Settles the request's reservation at its actual cost (unknown cost: the reserved worst case). */
export function settleGuards(ctx: RequestContext): void {
  const ticket = TICKETS.get(ctx);
  if (!ticket) return;
  guardsOf(ctx.shared)?.settle(ticket, ctx.costMicros ?? ticket.reserved);
}
