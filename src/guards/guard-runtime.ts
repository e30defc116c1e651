/**
 * The guards of one gateway process: the key registry, the counter store (Redis when `state`
 * is redis://, else memory) and the failure policy around it, decided once in the design:
 *
 * - rate limits, Redis unreachable: fail OPEN to a local per-replica share (limit / replicas)
 *   counted in memory; counted in `fallbacks` and reported as degraded;
 * - budgets, Redis unreachable: fail CLOSED (`guard_unavailable`, 503 + Retry-After);
 * - a settlement that cannot reach Redis is queued and retried until it lands, so every
 *   reservation is eventually settled without a restart.
 *
 * It also emits the 80% "approaching" budget signal (once per counter and window). It does not
 * decide which limits apply to a request; guard-stage.ts does.
 */
import { EventEmitter } from 'node:events';
import { GatewayError } from '../errors/gateway-error.js';
import type { RedisConnection } from '../stores/redis/redis-connection.js';
import type { AccessStore } from './access-store.js';
import type { AdmitResult, BudgetCheck, BudgetState, GuardStore, RateCheck } from './guard-store.js';
import { KeyRegistry } from './key-registry.js';
import { MemoryGuardStore } from './memory-guard-store.js';
import { RedisGuardStore } from './redis-guard-store.js';
import { parseCounter } from './budget-windows.js';

export interface GuardsHealth {
  status: 'up' | 'degraded' | 'down';
  detail: { backend: 'memory' | 'redis'; redis?: 'up' | 'down'; keysLoaded: boolean; rateLimitFallbacks: number; budgetRefusals: number; pendingSettlements: number };
}

export interface BudgetSignal {
  counter: string;
  limitMicros: number;
  usedMicros: number;
}

/** Counters reserved with one amount: budget windows (micro-USD) or token windows (tokens). */
export interface TicketGroup {
  readonly kind: 'money' | 'tokens';
  readonly keys: readonly string[];
  readonly reserved: number;
  readonly ttlMs: number;
  readonly limits: readonly number[];
}

/** A reservation taken before upstream, settled exactly once when the request ends. */
export interface GuardTicket {
  readonly groups: readonly TicketGroup[];
  settled: boolean;
}

export type Actuals = Readonly<Record<TicketGroup['kind'], number>>;

export type Admitted = AdmitResult & { degraded: boolean };

const RETRY_SETTLE_MS = 1_000;
const DEGRADED_FOR_MS = 5_000;
const MAX_SIGNALLED = 10_000;

/** Each replica's part of a limit while the shared store is unreachable (at least 1). */
export function localShare(limit: number, replicas: number): number {
  return Math.max(1, Math.floor(limit / replicas));
}

export class GuardRuntime {
  readonly registry = new KeyRegistry();
  readonly signals = new EventEmitter();
  private readonly store: GuardStore;
  private readonly local = new MemoryGuardStore();
  private readonly pending = new Set<Promise<void>>();
  private readonly retryQueue: Array<{ group: TicketGroup; actual: number }> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly signalled = new Set<string>();
  private readonly utilization = new Map<string, { scope: string; ratio: number; endsAt: number }>();
  private lastFailure = 0;
  fallbacks = 0;
  budgetRefusals = 0;

  constructor(readonly redis: RedisConnection | undefined, readonly access: AccessStore, prefix = 'tollgate:g:') {
    this.store = redis ? new RedisGuardStore(redis.client, prefix) : this.local;
  }

  get backend(): 'memory' | 'redis' {
    return this.redis ? 'redis' : 'memory';
  }

  /**
   * Gives a Redis that is still connecting at start a moment (never longer than `ms`), so the
   * first requests of a healthy deployment use the shared store, not the local share.
   */
  async waitForStore(ms = 1_000): Promise<void> {
    const end = Date.now() + ms;
    while (this.redis && !this.redis.ready && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  }

  /**
   * One request's rate limits and budget reservation, in one store call. Redis unreachable:
   * with budgets → guard_unavailable (fail closed); rate limits only → the local share.
   */
  admit(rates: readonly RateCheck[], member: string, budgets: readonly BudgetCheck[], amount: number, replicas: number): Admitted | Promise<Admitted> {
    // In-process store: answered synchronously, no promise on the hot path.
    if (!this.redis) return this.counted(this.local.admitNow(rates, member, budgets, amount), budgets, amount, false);
    return this.admitShared(rates, member, budgets, amount, replicas);
  }

  private async admitShared(rates: readonly RateCheck[], member: string, budgets: readonly BudgetCheck[], amount: number, replicas: number): Promise<Admitted> {
    if (this.redis?.ready) {
      try {
        return this.counted(await this.store.admit(rates, member, budgets, amount), budgets, amount, false);
      } catch {
        this.lastFailure = Date.now();
      }
    }
    if (budgets.length > 0) throw this.unavailable();
    this.fallbacks++;
    const share = rates.map((c) => ({ ...c, limit: localShare(c.limit, replicas) }));
    return { ...this.local.admitNow(share, member, [], 0), degraded: true };
  }

  private counted(r: AdmitResult, budgets: readonly BudgetCheck[], amount: number, degraded: boolean): Admitted {
    const out = r as Admitted;
    out.degraded = degraded;
    if (r.budget && !r.budget.ok) this.budgetRefusals++;
    else if (r.budget) {
      budgets.forEach((c, i) => {
        if (c.amount === undefined) this.maybeSignal(c.key, c.limit, r.budget!.states[i].spent + r.budget!.states[i].reserved + amount);
      });
    }
    return out;
  }

  async budgets(keys: readonly string[]): Promise<BudgetState[]> {
    return this.store.budgets(keys);
  }

  /** Settles a ticket once, in the background; failures are retried until they land. */
  settle(ticket: GuardTicket, actual: Actuals): void {
    if (ticket.settled) return;
    ticket.settled = true;
    for (const group of ticket.groups) {
      if (this.redis) this.track(this.trySettle(group, actual[group.kind]));
      else this.signalSettled(group, this.local.settleNow(group.keys, group.reserved, actual[group.kind], group.ttlMs));
    }
  }

  /** Resolves when no settlement is in flight or queued (tests, shutdown). */
  async idle(timeoutMs = 5_000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while ((this.pending.size > 0 || this.retryQueue.length > 0) && Date.now() < end) {
      await Promise.race([Promise.all(this.pending), new Promise((r) => setTimeout(r, 50))]);
    }
  }

  health(): GuardsHealth {
    const redisUp = this.redis ? this.redis.health().status === 'up' && this.redis.ready : undefined;
    const recentFailure = Date.now() - this.lastFailure < DEGRADED_FOR_MS;
    const status = redisUp === false || recentFailure || this.retryQueue.length > 0 || !this.registry.loaded ? 'degraded' : 'up';
    return {
      status,
      detail: {
        backend: this.backend,
        ...(this.redis ? { redis: redisUp ? 'up' as const : 'down' as const } : {}),
        keysLoaded: this.registry.loaded,
        rateLimitFallbacks: this.fallbacks,
        budgetRefusals: this.budgetRefusals,
        pendingSettlements: this.retryQueue.length,
      },
    };
  }

  async close(): Promise<void> {
    await this.idle(2_000);
    clearTimeout(this.retryTimer);
    await this.access.close();
  }

  private unavailable(): GatewayError {
    this.budgetRefusals++;
    return new GatewayError('guard_unavailable', { retryAfterSeconds: 2 });
  }

  private track(p: Promise<void>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private async trySettle(group: TicketGroup, actual: number): Promise<void> {
    try {
      this.signalSettled(group, await this.store.settle(group.keys, group.reserved, actual, group.ttlMs));
    } catch {
      this.lastFailure = Date.now();
      this.retryQueue.push({ group, actual });
      this.scheduleRetry();
    }
  }

  private signalSettled(group: TicketGroup, states: readonly BudgetState[]): void {
    if (group.kind === 'money') group.keys.forEach((k, i) => this.maybeSignal(k, group.limits[i], states[i].spent + states[i].reserved));
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const batch = this.retryQueue.splice(0);
      for (const { group, actual } of batch) this.track(this.trySettle(group, actual));
    }, RETRY_SETTLE_MS);
    this.retryTimer.unref();
  }

  /**
   * Latest known use ÷ limit of every current budget window, by owner (tenant name, or
   * `key:<id>`), for alert rules (`budget_utilization`). Synchronous: it reports what this
   * process last saw on reserve and settle, never asks the store.
   */
  budgetUtilization(now = Date.now()): Array<{ scope: string; ratio: number }> {
    const out: Array<{ scope: string; ratio: number }> = [];
    for (const [counter, u] of this.utilization) {
      if (u.endsAt <= now) this.utilization.delete(counter);
      else out.push({ scope: u.scope, ratio: u.ratio });
    }
    return out;
  }

  private noteUtilization(counter: string, limitMicros: number, usedMicros: number): void {
    const known = this.utilization.get(counter);
    if (known) {
      known.ratio = usedMicros / limitMicros; // hot path: no parsing for a window already seen
      return;
    }
    const parsed = parseCounter(counter);
    if (!parsed || limitMicros <= 0) return;
    if (this.utilization.size >= MAX_SIGNALLED && !this.utilization.has(counter)) this.utilization.clear();
    this.utilization.set(counter, { scope: parsed.kind === 'tenant' ? parsed.id : `key:${parsed.id}`, ratio: usedMicros / limitMicros, endsAt: parsed.endsAt });
  }

  private maybeSignal(counter: string, limitMicros: number, usedMicros: number): void {
    this.noteUtilization(counter, limitMicros, usedMicros);
    if (usedMicros < limitMicros * this.approachingAt || this.signalled.has(counter)) return;
    if (this.signalled.size >= MAX_SIGNALLED) this.signalled.clear();
    this.signalled.add(counter);
    const signal: BudgetSignal = { counter, limitMicros, usedMicros };
    this.signals.emit('budget-approaching', signal);
  }

  /** Share of a budget at which the approaching signal fires (from config; set per reload). */
  approachingAt = 0.8;
}
