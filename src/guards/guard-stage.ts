/**
 * Stage "guard" (after resolve, before cache and upstream): the key's and tenant's model
 * permissions, the per-request cost cap, then rate limits and the budget reservation of the
 * request's worst-case cost together in ONE atomic store call (one Redis round trip). The
 * reservation is settled to the actual cost by `settleGuards`, called once from onFinish for
 * every outcome (success, error, cache hit at cost 0, client abort, partial stream).
 *
 * A request with nothing to guard (open gateway, no limits configured) passes without a
 * store call or an await.
 */
import { GatewayError } from '../errors/gateway-error.js';
import { microsToUsd } from '../metering/pricing/micros.js';
import type { RequestContext } from '../pipeline/context.js';
import { budgetCounters, type BudgetCounter } from './budget-windows.js';
import type { AccessRules, BudgetLimits, KeyRecord } from './guard-policy.js';
import { localShare, type Admitted, type GuardRuntime, type GuardTicket, type TicketGroup } from './guard-runtime.js';
import { clientIp } from './peer-list.js';
import { planRateChecks, type RatePlan, type TokenScope } from './rate-checks.js';
import { rateHeaders, retryAfterSeconds } from './ratelimit-headers.js';
import type { HeaderMap } from '../http/response-writer.js';
import { guardsOf } from './runtime-of.js';
import { worstCaseMicros, worstCaseTokens } from './worst-case-cost.js';

function checkAllowed(ctx: RequestContext, who: string, rules: AccessRules | undefined): void {
  if (!rules?.models) return;
  const asked = ctx.requestedModel.toLowerCase();
  if (rules.models.has(asked) || (ctx.routeAlias !== undefined && rules.models.has(ctx.routeAlias.toLowerCase()))) return;
  throw new GatewayError('key_not_allowed', { param: 'model', detail: `The ${who} may not use "${ctx.requestedModel.slice(0, 128)}".` });
}

interface BudgetOwner { scope: string; owner: string; limits: BudgetLimits }

/**
 * A key's or tenant's budget scope and owner name, built once per record rather than per
 * request (records are replaced, never edited, when keys or config change).
 */
const KEY_OWNERS = new WeakMap<KeyRecord, BudgetOwner>();
const TENANT_OWNERS = new WeakMap<AccessRules, BudgetOwner & { tenant: string }>();

function keyOwner(key: KeyRecord, limits: BudgetLimits): BudgetOwner {
  let o = KEY_OWNERS.get(key);
  if (o === undefined) {
    o = { scope: `key:${encodeURIComponent(key.id)}`, owner: `key "${key.name}"`, limits };
    KEY_OWNERS.set(key, o);
  }
  return o;
}

function tenantOwner(rules: AccessRules, tenant: string, limits: BudgetLimits): BudgetOwner {
  let o = TENANT_OWNERS.get(rules);
  if (o === undefined || o.tenant !== tenant || o.limits !== limits) {
    o = { tenant, scope: `tenant:${encodeURIComponent(tenant)}`, owner: `tenant "${tenant}"`, limits };
    TENANT_OWNERS.set(rules, o);
  }
  return o;
}

function budgetOwners(ctx: RequestContext, key: KeyRecord | undefined, tenant: AccessRules | undefined): BudgetOwner[] {
  const out: BudgetOwner[] = [];
  if (key?.budget) out.push(keyOwner(key, key.budget));
  if (tenant?.budget && ctx.tenant !== null) out.push(tenantOwner(tenant, ctx.tenant, tenant.budget));
  return out;
}

const usd = (micros: number): string => `$${microsToUsd(micros).toFixed(6)}`;

function exhausted(ctx: RequestContext, c: BudgetCounter, used: number): GatewayError {
  const detail = `The ${c.window} budget of ${c.owner} is exhausted: limit ${usd(c.limit)}, spent or reserved ${usd(used)}, resets at ${new Date(c.resetsAt).toISOString()}.`;
  return new GatewayError(ctx.config.guards.exhaustedStatus === 429 ? 'insufficient_quota' : 'budget_exceeded', { detail });
}

interface BudgetPlan { counters: BudgetCounter[]; worst: number }

function planBudget(ctx: RequestContext, owners: readonly BudgetOwner[]): BudgetPlan {
  if (owners.length === 0) return { counters: [], worst: 0 };
  const worst = worstCaseMicros(ctx);
  if (worst === null) {
    const detail = ctx.requestedModel === ''
      ? 'A budget applies, and this native call names no model the gateway can price.'
      : 'A budget applies, and this model has no known price (add one under `pricing`).';
    throw new GatewayError('request_cost_too_high', { param: 'model', detail });
  }
  // Plain loops rather than map/filter/flatMap and spread calls: this runs on every guarded
  // request, and flatMap and `Math.min(...)` took V8's runtime (slow) paths in profiles.
  let cap: number | undefined;
  for (const o of owners) {
    const c = o.limits.perRequest;
    if (c !== undefined && (cap === undefined || c < cap)) cap = c;
  }
  if (cap !== undefined && worst > cap) {
    throw new GatewayError('request_cost_too_high', { param: 'max_tokens', detail: `Worst-case cost ${usd(worst)} exceeds the per-request cap ${usd(cap)}; lower max_tokens or the input.` });
  }
  const now = Date.now();
  const counters: BudgetCounter[] = [];
  for (const o of owners) for (const c of budgetCounters(o.scope, o.owner, o.limits, now)) counters.push(c);
  return { counters, worst };
}

const MINUTE_MS = 60_000;

/** Token windows: the request's worst-case tokens reserved on each per-minute counter. */
function tokenCounters(ctx: RequestContext, scopes: readonly TokenScope[]): Array<BudgetCounter & { amount: number }> {
  if (scopes.length === 0) return [];
  const amount = worstCaseTokens(ctx);
  const now = Date.now();
  const minute = Math.floor(now / MINUTE_MS);
  const resetsAt = (minute + 1) * MINUTE_MS;
  return scopes.map((t) => ({ key: `t:${t.scope}:m${minute}`, limit: t.limit, ttlMs: 2 * MINUTE_MS, window: 'minute' as const, resetsAt, owner: t.scope, amount }));
}

function ticketOf(plan: BudgetPlan, tokens: readonly (BudgetCounter & { amount: number })[]): GuardTicket {
  const groups: TicketGroup[] = [];
  const group = (kind: TicketGroup['kind'], list: readonly BudgetCounter[], reserved: number): void => {
    if (list.length === 0) return;
    const keys: string[] = [];
    const limits: number[] = [];
    let ttlMs = 0;
    for (const c of list) {
      keys.push(c.key);
      limits.push(c.limit);
      if (c.ttlMs > ttlMs) ttlMs = c.ttlMs;
    }
    groups.push({ kind, keys, reserved, ttlMs, limits });
  };
  group('money', plan.counters, plan.worst);
  group('tokens', tokens, tokens[0]?.amount ?? 0);
  return { groups, settled: false };
}

/** RateLimit headers for the success answer (success-headers.ts adds them to its writeHead). */
export function guardHeaders(ctx: RequestContext, into: HeaderMap): void {
  const h = ctx.rateHeaders;
  if (h) {
    into.ratelimit = h.ratelimit;
    into['ratelimit-policy'] = h.policy;
  }
}

/** Rate limits, token windows and the budget reservation: one store call (one Redis round trip). */
function admit(ctx: RequestContext, guards: GuardRuntime, rates: RatePlan, plan: BudgetPlan): void | Promise<void> {
  const tokens = tokenCounters(ctx, rates.tokens);
  const counters = tokens.length > 0 ? [...plan.counters, ...tokens] : plan.counters;
  const r = guards.admit(rates.checks, ctx.id, counters, plan.worst, ctx.config.guards.replicas);
  if (r instanceof Promise) return r.then((done) => decide(ctx, rates, plan, tokens, counters, done));
  decide(ctx, rates, plan, tokens, counters, r);
}

function decide(ctx: RequestContext, rates: RatePlan, plan: BudgetPlan, tokens: Array<BudgetCounter & { amount: number }>, counters: readonly BudgetCounter[], r: Admitted): void {
  const replicas = ctx.config.guards.replicas;
  const limits = r.degraded ? rates.checks.map((c) => localShare(c.limit, replicas)) : rates.limits;
  const headers = rateHeaders(rates.checks, limits, r.rate, r.degraded ? undefined : rates.policyHeader);
  ctx.rateHeaders = headers;
  if (!r.rate.allowed) {
    // Error answers are written without success-headers.ts: attach the headers to the response.
    if (headers && !ctx.res.headersSent) {
      ctx.res.setHeader('ratelimit', headers.ratelimit);
      ctx.res.setHeader('ratelimit-policy', headers.policy);
    }
    throw new GatewayError('rate_limit_exceeded', { retryAfterSeconds: retryAfterSeconds(r.rate.retryAfterMs) });
  }
  if (r.budget && !r.budget.ok) {
    const refused = counters[r.budget.refused];
    if (refused.amount !== undefined) {
      throw new GatewayError('rate_limit_exceeded', { retryAfterSeconds: retryAfterSeconds(refused.resetsAt - Date.now()), detail: `Token limit of ${refused.limit} per minute reached (${refused.owner}).` });
    }
    const s = r.budget.states[r.budget.refused];
    throw exhausted(ctx, refused, s.spent + s.reserved);
  }
  if (counters.length > 0) ctx.guardTicket = ticketOf(plan, tokens);
}

export function guard(ctx: RequestContext): void | Promise<void> {
  const guards = guardsOf(ctx.shared);
  if (!guards) return;
  const policy = ctx.config.guards;
  const key = ctx.guardKey;
  const tenant = guards.registry.tenant(policy, ctx.tenant);
  checkAllowed(ctx, `key "${key?.name}"`, key);
  checkAllowed(ctx, `tenant "${ctx.tenant}"`, tenant);
  const rates = policy.classes.length > 0 || key || tenant ? planRateChecks(ctx, () => clientIp(ctx.req, policy.trustedProxies), key, tenant) : NO_RATES;
  const plan = planBudget(ctx, budgetOwners(ctx, key, tenant));
  if (rates.checks.length === 0 && rates.tokens.length === 0 && plan.counters.length === 0) return;
  return admit(ctx, guards, rates, plan);
}

const NO_RATES: RatePlan = Object.freeze({ checks: [], tokens: [], policyHeader: '', limits: [] });

/**
 * Settles the request's reservations: money at its actual cost (unknown cost: the reserved
 * worst case), tokens at its actual usage (none for a cache hit or a request that reached no
 * provider).
 */
export function settleGuards(ctx: RequestContext): void {
  const ticket = ctx.guardTicket;
  if (!ticket) return;
  const money = ticket.groups.find((g) => g.kind === 'money');
  const tokens = ticket.groups.find((g) => g.kind === 'tokens');
  const used = ctx.cacheStatus === 'HIT' || ctx.target === undefined ? 0
    : ctx.usage ? ctx.usage.inputTokens + ctx.usage.outputTokens : ctx.costMicros === 0 ? 0 : tokens?.reserved ?? 0;
  guardsOf(ctx.shared)?.settle(ticket, { money: ctx.costMicros ?? money?.reserved ?? 0, tokens: used });
}
