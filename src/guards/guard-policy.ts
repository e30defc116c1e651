/**
 * Compiles the guard sections of the config into the frozen policy the hot path reads: key
 * records with hashed secrets (the plain key is dropped here), tenants with resolved budgets,
 * rate-limit classes as (window, limit) pairs, and the peer lists for proxies and trusted
 * backends. Amounts become integer micro-USD.
 *
 * It does not count anything and does not know about stores.
 */
import type { Config } from '../config/schema.js';
import { usdToMicrosRounded } from '../metering/pricing/micros.js';
import { hashKey } from './api-key.js';
import { DEFAULT_TIERS } from './guards-config.js';
import { peerList, type PeerList } from './peer-list.js';

export type Scope = 'key' | 'tenant' | 'user' | 'model' | 'ip';

export interface RateWindow {
  /** Policy name in RateLimit headers, e.g. `default-1m`. */
  readonly name: string;
  readonly windowMs: number;
  readonly limit: number;
}

export interface RateClass {
  readonly name: string;
  readonly windows: readonly RateWindow[];
  /** Input + output tokens per UTC minute (reserved up front, settled to actual use). */
  readonly tokensPerMinute: number | undefined;
  readonly operations: ReadonlySet<string> | undefined;
  readonly by: readonly Scope[];
}

/** Micro-USD; undefined means not limited. */
export interface BudgetLimits {
  readonly perRequest: number | undefined;
  readonly daily: number | undefined;
  readonly monthly: number | undefined;
}

export interface AccessRules {
  readonly models: ReadonlySet<string> | undefined;
  readonly windows: readonly RateWindow[];
  readonly tokensPerMinute: number | undefined;
  readonly budget: BudgetLimits | undefined;
}

export interface KeyRecord extends AccessRules {
  readonly id: string;
  readonly name: string;
  readonly tenant: string;
  /** SHA-256 of the secret, hex (the secret itself is never kept). */
  readonly hash: string;
  readonly hint: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly source: 'config' | 'admin';
  readonly createdAt: number;
}

export interface GuardPolicy {
  readonly configKeys: readonly KeyRecord[];
  readonly tenants: ReadonlyMap<string, AccessRules>;
  readonly classes: readonly RateClass[];
  readonly replicas: number;
  readonly exhaustedStatus: 402 | 429;
  readonly defaultMaxOutputTokens: number;
  readonly approachingAt: number;
  readonly tiers: ReadonlyMap<string, BudgetLimits>;
  readonly trustedProxies: PeerList;
  readonly trustedBackends: PeerList;
  /** Keys or tenants are configured, or `auth.requireKey`: requests need a key (see also admin-created keys). */
  readonly configured: boolean;
}

type Limits = { perSecond?: number; perMinute?: number; perHour?: number; perDay?: number; tokensPerMinute?: number };
type BudgetInput = { tier: string } | { perRequest?: number; daily?: number; monthly?: number };

const DEFAULT_WINDOWS = { perMinute: 60, perHour: 1_000, perDay: 10_000 };
const SPANS: Array<[keyof Limits, number, string]> = [['perSecond', 1_000, '1s'], ['perMinute', 60_000, '1m'], ['perHour', 3_600_000, '1h'], ['perDay', 86_400_000, '1d']];

export function windowsOf(prefix: string, limits: Limits | undefined): RateWindow[] {
  if (!limits) return [];
  const out: RateWindow[] = [];
  for (const [field, windowMs, suffix] of SPANS) {
    const limit = limits[field];
    if (limit !== undefined) out.push(Object.freeze({ name: `${prefix}-${suffix}`, windowMs, limit }));
  }
  return out;
}

function micros(usd: number | undefined): number | undefined {
  return usd === undefined ? undefined : usdToMicrosRounded(usd);
}

function compileTiers(cfg: Config): Map<string, BudgetLimits> {
  const tiers = new Map<string, BudgetLimits>();
  const all: Record<string, { perRequest?: number; daily?: number; monthly?: number }> = { ...DEFAULT_TIERS, ...cfg.budgets.tiers };
  for (const [name, t] of Object.entries(all)) {
    tiers.set(name, Object.freeze({ perRequest: micros(t.perRequest), daily: micros(t.daily), monthly: micros(t.monthly) }));
  }
  return tiers;
}

export function resolveBudget(tiers: ReadonlyMap<string, BudgetLimits>, b: BudgetInput | undefined): BudgetLimits | undefined {
  if (!b) return undefined;
  if ('tier' in b) return tiers.get(b.tier);
  return Object.freeze({ perRequest: micros(b.perRequest), daily: micros(b.daily), monthly: micros(b.monthly) });
}

export interface AccessInput { models?: readonly string[]; rateLimits?: Limits; budget?: BudgetInput }

export function accessRules(prefix: string, a: AccessInput, tiers: ReadonlyMap<string, BudgetLimits>): AccessRules {
  return Object.freeze({
    models: a.models ? Object.freeze(new Set(a.models.map((m) => m.toLowerCase()))) : undefined,
    windows: Object.freeze(windowsOf(prefix, a.rateLimits)),
    tokensPerMinute: a.rateLimits?.tokensPerMinute,
    budget: resolveBudget(tiers, a.budget),
  });
}

function compileClasses(cfg: Config, active: boolean): RateClass[] {
  const out: RateClass[] = [];
  const { replicas: _replicas, default: def, ...named } = cfg.rateLimits as Record<string, unknown> & { default?: unknown };
  // With keys or tenants in use the default class always applies (60 / 1,000 / 10,000); an
  // open gateway is limited only when `rateLimits.default` is written down.
  if (def !== undefined || active) {
    const d = (def ?? {}) as Limits & { by?: Scope[] };
    const hasAny = d.perSecond !== undefined || d.perMinute !== undefined || d.perHour !== undefined || d.perDay !== undefined;
    out.push(Object.freeze<RateClass>({ name: 'default', windows: windowsOf('default', hasAny ? d : DEFAULT_WINDOWS), tokensPerMinute: d.tokensPerMinute, operations: undefined, by: d.by ?? ['key'] }));
  }
  for (const [name, c] of Object.entries(named)) {
    const cls = c as Limits & { operations?: string[]; by?: Scope[] };
    out.push(Object.freeze<RateClass>({ name, windows: windowsOf(name, cls), tokensPerMinute: cls.tokensPerMinute, operations: cls.operations ? Object.freeze(new Set(cls.operations)) : undefined, by: cls.by ?? ['key'] }));
  }
  return out;
}

export function compileGuardPolicy(cfg: Config): GuardPolicy {
  const tiers = compileTiers(cfg);
  const configured = cfg.keys.length > 0 || Object.keys(cfg.tenants).length > 0 || cfg.auth.requireKey;
  const tenants = new Map<string, AccessRules>();
  for (const [name, t] of Object.entries(cfg.tenants)) tenants.set(name, accessRules('tenant', t, tiers));
  const configKeys = cfg.keys.map((k): KeyRecord => Object.freeze({
    ...accessRules('key', k, tiers),
    id: `config:${k.name}`,
    name: k.name,
    tenant: k.tenant,
    hash: hashKey(k.key.trim()).toString('hex'),
    hint: `${k.key.slice(0, 4)}…`,
    labels: Object.freeze({ ...k.labels }),
    source: 'config' as const,
    createdAt: 0,
  }));
  return Object.freeze({
    configKeys: Object.freeze(configKeys),
    tenants,
    classes: Object.freeze(compileClasses(cfg, configured)),
    replicas: cfg.rateLimits.replicas,
    exhaustedStatus: cfg.budgets.exhaustedStatus,
    defaultMaxOutputTokens: cfg.budgets.defaultMaxOutputTokens,
    approachingAt: cfg.budgets.approachingAt,
    tiers,
    trustedProxies: peerList(cfg.server.trustedProxies),
    trustedBackends: peerList(cfg.auth.trustedBackends),
    configured,
  });
}
