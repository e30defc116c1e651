/**
 * The state of every budget, for `GET /api/admin/budgets` (and alerts later): per key and per
 * tenant that has a budget, each window with its limit, settled spend, amount reserved by
 * requests in flight, reset time and whether it crossed the "approaching" share. Amounts are
 * reported in USD (from integer micro-USD) and micro-USD.
 */
import { microsToUsd } from '../metering/pricing/micros.js';
import { budgetCounters, type BudgetCounter } from './budget-windows.js';
import type { BudgetLimits, GuardPolicy } from './guard-policy.js';
import type { GuardRuntime } from './guard-runtime.js';

export interface BudgetRow {
  kind: 'key' | 'tenant';
  id: string;
  name: string;
  tenant: string;
  window: BudgetCounter['window'];
  limitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  spentMicros: number;
  reservedMicros: number;
  resetsAt: string;
  approaching: boolean;
  perRequestUsd: number | null;
}

interface Owner { kind: 'key' | 'tenant'; id: string; name: string; tenant: string; scope: string; limits: BudgetLimits }

function owners(guards: GuardRuntime, policy: GuardPolicy): Owner[] {
  const out: Owner[] = [];
  for (const k of guards.registry.records(policy)) {
    if (k.budget) out.push({ kind: 'key', id: k.id, name: k.name, tenant: k.tenant, scope: `key:${encodeURIComponent(k.id)}`, limits: k.budget });
  }
  for (const [name, t] of guards.registry.tenants(policy)) {
    if (t.budget) out.push({ kind: 'tenant', id: name, name, tenant: name, scope: `tenant:${encodeURIComponent(name)}`, limits: t.budget });
  }
  return out;
}

export async function budgetReport(guards: GuardRuntime, policy: GuardPolicy, tenant?: string): Promise<BudgetRow[]> {
  const now = Date.now();
  const list = owners(guards, policy).filter((o) => tenant === undefined || o.tenant === tenant);
  const counters = list.flatMap((o) => budgetCounters(o.scope, o.name, o.limits, now).map((c) => ({ o, c })));
  const states = await guards.budgets(counters.map((x) => x.c.key));
  return counters.map(({ o, c }, i) => {
    const s = states[i];
    return {
      kind: o.kind, id: o.id, name: o.name, tenant: o.tenant, window: c.window,
      limitUsd: microsToUsd(c.limit), spentUsd: microsToUsd(s.spent), reservedUsd: microsToUsd(s.reserved),
      spentMicros: s.spent, reservedMicros: s.reserved,
      resetsAt: new Date(c.resetsAt).toISOString(),
      approaching: s.spent + s.reserved >= c.limit * policy.approachingAt,
      perRequestUsd: o.limits.perRequest === undefined ? null : microsToUsd(o.limits.perRequest),
    };
  });
}
