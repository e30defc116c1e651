/**
 * Which rate-limit counters one request counts against: every configured class that matches
 * its operation (counted per key by default, or per tenant / end user / model / client IP as
 * the class says), the key's own limits and its tenant's limits. Model names are counted by
 * the resolved target (`provider/model`, lower-cased), so spelling variants and route aliases
 * of one model share a counter (S9). All of them go to the store in one atomic call.
 *
 * Token limits (`tokensPerMinute`) are kept per UTC minute, per the same scopes: the request's
 * worst-case tokens are reserved up front and settled to its actual usage when it ends.
 */
import type { RequestContext } from '../pipeline/context.js';
import type { AccessRules, KeyRecord, RateClass, RateWindow, Scope } from './guard-policy.js';
import { policyItem, sfString } from './ratelimit-headers.js';

export interface PlannedCheck {
  readonly key: string;
  readonly windowMs: number;
  readonly limit: number;
  /** Policy name for the RateLimit headers. */
  readonly policy: string;
  /** The name as written in those headers (an sf-string), when the plan wrote it already. */
  readonly sfPolicy?: string;
}

function scopeValue(scope: Scope, ctx: RequestContext, ip: () => string): string | undefined {
  switch (scope) {
    case 'key': return ctx.keyId ?? `ip:${ip()}`;
    case 'tenant': return ctx.tenant ?? undefined;
    case 'user': return ctx.labels.user ?? undefined;
    case 'model': return (ctx.targets[0]?.id ?? ctx.requestedModel).toLowerCase();
    case 'ip': return ip();
  }
}

function add(out: PlannedCheck[], prefix: string, windows: readonly RateWindow[]): void {
  for (const w of windows) out.push({ key: `r:${prefix}:${w.name}`, windowMs: w.windowMs, limit: w.limit, policy: w.name, sfPolicy: sfString(w.name) });
}

/** A tokens-per-minute limit and the counter scope it is kept for. */
export interface TokenScope {
  readonly scope: string;
  readonly limit: number;
}

export interface RatePlan {
  readonly checks: PlannedCheck[];
  readonly tokens: TokenScope[];
  /** RateLimit-Policy for these checks at their full limits (built once per plan). */
  readonly policyHeader: string;
  /** Each check's limit, in order (for the RateLimit headers). */
  readonly limits: readonly number[];
}

/**
 * Plans depend only on the key (and its tenant), the operation label and the config when every
 * class counts per key or tenant — the common case — so they are built once per key and
 * operation and reused (no string building per request).
 */
const PLANS = new WeakMap<KeyRecord, { classes: readonly RateClass[]; tenant: AccessRules | undefined; byOperation: Map<string | null, RatePlan> }>();
const MAX_OPERATIONS = 256;

function cacheable(classes: readonly RateClass[]): boolean {
  return classes.every((c) => c.by.every((s) => s === 'key' || s === 'tenant'));
}

/** `ip` is asked only when a counter needs the client address (not for cached key plans). */
export function planRateChecks(ctx: RequestContext, ip: () => string, key: KeyRecord | undefined, tenant: AccessRules | undefined): RatePlan {
  const classes = ctx.config.guards.classes;
  if (!key || !cacheable(classes)) return buildPlan(ctx, ip, key, tenant);
  let entry = PLANS.get(key);
  if (!entry || entry.classes !== classes || entry.tenant !== tenant) {
    entry = { classes, tenant, byOperation: new Map() };
    PLANS.set(key, entry);
  }
  const op = ctx.labels.operation;
  let plan = entry.byOperation.get(op);
  if (!plan) {
    plan = buildPlan(ctx, ip, key, tenant);
    if (entry.byOperation.size >= MAX_OPERATIONS) entry.byOperation.clear();
    entry.byOperation.set(op, plan);
  }
  return plan;
}

function buildPlan(ctx: RequestContext, ip: () => string, key: KeyRecord | undefined, tenant: AccessRules | undefined): RatePlan {
  const out: PlannedCheck[] = [];
  const tokens: TokenScope[] = [];
  for (const cls of ctx.config.guards.classes) {
    if (cls.operations && !(ctx.labels.operation !== null && cls.operations.has(ctx.labels.operation))) continue;
    const parts: string[] = [];
    for (const scope of cls.by) {
      const v = scopeValue(scope, ctx, ip);
      if (v === undefined) break;
      parts.push(`${scope}=${encodeURIComponent(v)}`);
    }
    if (parts.length !== cls.by.length) continue; // e.g. per-user class, request without a user
    add(out, `${cls.name}:${parts.join(',')}`, cls.windows);
    if (cls.tokensPerMinute !== undefined) tokens.push({ scope: `${cls.name}:${parts.join(',')}`, limit: cls.tokensPerMinute });
  }
  if (key) {
    add(out, `key:${encodeURIComponent(key.id)}`, key.windows);
    if (key.tokensPerMinute !== undefined) tokens.push({ scope: `key:${encodeURIComponent(key.id)}`, limit: key.tokensPerMinute });
  }
  if (tenant && ctx.tenant !== null) {
    add(out, `tenant:${encodeURIComponent(ctx.tenant)}`, tenant.windows);
    if (tenant.tokensPerMinute !== undefined) tokens.push({ scope: `tenant:${encodeURIComponent(ctx.tenant)}`, limit: tenant.tokensPerMinute });
  }
  return { checks: out, tokens, policyHeader: policyHeader(out), limits: out.map((c) => c.limit) };
}

function policyHeader(checks: readonly PlannedCheck[]): string {
  return checks.map((c) => policyItem(c.policy, c.limit, c.windowMs)).join(', ');
}
