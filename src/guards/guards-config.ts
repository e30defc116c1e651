/**
 * The config sections of access control and spend guards: `tenants`, `keys`, `rateLimits`,
 * `budgets`, and the pass-through extension of `auth` (trusted backends). Only the zod shapes
 * live here; schema.ts adds one line per section and guard-policy.ts compiles them into the
 * runtime form. Amounts are USD in the file and integer micro-USD after compilation.
 *
 * Cross-references (unknown tiers, a secret declared twice) are checked in `checkGuardRefs`; a
 * key may name a tenant that has no entry of its own (it then has no tenant-wide limits).
 */
import { z } from 'zod';
import { num } from '../resilience/resilience-config.js';
import { peerList } from './peer-list.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Requests per window and tokens per minute; omitted windows are not limited. */
export const limitsSchema = z.object({
  /** A burst cap; also what makes client retries after a 429 short. */
  perSecond: num().int().positive().optional(),
  perMinute: num().int().positive().optional(),
  perHour: num().int().positive().optional(),
  perDay: num().int().positive().optional(),
  tokensPerMinute: num().int().positive().optional(),
}).strict();

/** A budget: a named tier, or custom amounts (USD); daily and monthly windows. */
export const budgetSchema = z.union([
  z.object({ tier: z.string().regex(NAME) }).strict(),
  z.object({
    perRequest: num().positive().optional(),
    daily: num().positive().optional(),
    monthly: num().positive().optional(),
  }).strict(),
]);

const access = {
  /** `provider/model` ids or route aliases this key/tenant may use (default: all). */
  models: z.array(z.string().min(1)).optional(),
  rateLimits: limitsSchema.optional(),
  budget: budgetSchema.optional(),
};

export const tenantsSchema = z.record(z.string().regex(NAME), z.object({
  ...access,
  /** Opt in to storing this tenant's prompts and completions, masked (privacy/payload.ts). */
  logPayloads: z.boolean().optional(),
}).strict()).default({});

export const keysSchema = z.array(z.object({
  name: z.string().regex(NAME),
  tenant: z.string().regex(NAME),
  /** The secret itself, normally `${ENV_VAR}`; it is hashed at load and never kept. */
  key: z.string().min(20, 'keys[].key must be at least 20 characters'),
  labels: z.record(z.string(), z.string()).optional(),
  ...access,
}).strict()).default([]);

const rateClass = limitsSchema.extend({
  /** Only requests labelled with one of these operations (x-tollgate-operation) count. */
  operations: z.array(z.string().min(1)).optional(),
  /** What one counter is kept per (default: the key, or the client IP without one). */
  by: z.array(z.enum(['key', 'tenant', 'user', 'model', 'ip'])).optional(),
}).strict();

export const rateLimitsSchema = z.object({
  /** Applies to every request; its missing windows default to 60 / 1,000 / 10,000. */
  default: rateClass.optional(),
  /** Used while Redis is down: each replica enforces limit / replicas locally. */
  replicas: num().int().min(1).max(10_000).default(1),
}).catchall(rateClass).prefault({});

const tier = z.object({
  perRequest: num().positive().optional(),
  daily: num().positive().optional(),
  monthly: num().positive().optional(),
}).strict();

export const budgetsSchema = z.object({
  tiers: z.record(z.string().regex(NAME), tier).default({}),
  /** 402 `budget_exceeded`, or 429 `insufficient_quota` for OpenAI-SDK clients. */
  exhaustedStatus: z.union([z.literal(402), z.literal(429)]).default(402),
  /** Output tokens assumed when a request sets no max_tokens (the worst case to reserve). */
  defaultMaxOutputTokens: num().int().positive().max(10_000_000).default(4_096),
  /** Share of a budget at which the "approaching" signal fires. */
  approachingAt: num().min(0.01).max(1).default(0.8),
}).strict().prefault({});

/** `auth` keys owned by the guards (merged into the auth object in schema.ts). */
export const authGuardShape = {
  /** Peers (IPs or CIDRs) whose `x-tenant-id` is believed in pass-through mode. */
  trustedBackends: z.array(z.string().min(1)).default([]),
  /**
   * Managed mode: always require a key, even while none exists or the key table cannot be
   * read (fail closed). Default: required as soon as one key or tenant is known.
   */
  requireKey: z.boolean().default(false),
};

export const DEFAULT_TIERS: Readonly<Record<string, { perRequest: number; daily: number }>> = Object.freeze({
  low: { perRequest: 0.002, daily: 0.10 },
  standard: { perRequest: 0.01, daily: 1.00 },
  premium: { perRequest: 0.05, daily: 10.00 },
});

interface GuardRefs {
  tenants: Record<string, { budget?: z.output<typeof budgetSchema> }>;
  keys: Array<{ tenant: string; key: string; budget?: z.output<typeof budgetSchema> }>;
  budgets: { tiers: Record<string, unknown> };
  server: { trustedProxies: string[] };
  auth: { trustedBackends: string[] };
}

function checkPeers(entries: string[], path: string[], issue: (path: (string | number)[], message: string) => void): void {
  entries.forEach((e, i) => {
    try {
      peerList([e]);
    } catch {
      issue([...path, i], `"${e}" is not an IP address or CIDR`);
    }
  });
}

/** Issues for keys naming unknown tenants, duplicate secrets and unknown tiers. */
export function checkGuardRefs(cfg: GuardRefs, issue: (path: (string | number)[], message: string) => void): void {
  checkPeers(cfg.server.trustedProxies, ['server', 'trustedProxies'], issue);
  checkPeers(cfg.auth.trustedBackends, ['auth', 'trustedBackends'], issue);
  const tierKnown = (t: string): boolean => t in cfg.budgets.tiers || t in DEFAULT_TIERS;
  for (const [name, t] of Object.entries(cfg.tenants)) {
    if (t.budget && 'tier' in t.budget && !tierKnown(t.budget.tier)) issue(['tenants', name, 'budget', 'tier'], `unknown budget tier "${t.budget.tier}"`);
  }
  const seen = new Set<string>();
  cfg.keys.forEach((k, i) => {
    if (seen.has(k.key)) issue(['keys', i, 'key'], 'the same key is declared twice');
    seen.add(k.key);
    if (k.budget && 'tier' in k.budget && !tierKnown(k.budget.tier)) issue(['keys', i, 'budget', 'tier'], `unknown budget tier "${k.budget.tier}"`);
  });
}
