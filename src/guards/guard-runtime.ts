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
import type { BudgetCheck, BudgetState, GuardStore, HitResult, RateCheck, ReserveResult } from './guard-store.js';
import { KeyRegistry } from './key-registry.js';
import { MemoryGuardStore } from './memory-guard-store.js';
import { RedisGuardStore } from './redis-guard-store.js';

export interface GuardsHealth {
  status: 'up' | 'degraded' | 'down';
  detail: { backend: 'memory' | 'redis'; redis?: 'up' | 'down'; rateLimitFallbacks: number; budgetRefusals: number; pendingSettlements: number };
}

export interface BudgetSignal {
  counter: string;
  limitMicros: number;
  usedMicros: number;
}

/** A reservation taken before upstream, settled exactly once when the request ends. */
export interface GuardTicket {
  readonly keys: readonly string[];
  readonly reserved: number;
  readonly ttlMs: number;
  readonly limits: readonly number[];
  settled: boolean;
}

const RETRY_SETTLE_MS = 1_000;
const DEGRADED_FOR_MS = 5_000;
const MAX_SIGNALLED = 10_000;

export class GuardRuntime {
  readonly registry = new KeyRegistry();
  readonly signals = new EventEmitter();
  private readonly store: GuardStore;
  private readonly local = new MemoryGuardStore();
  private readonly pending = new Set<Promise<void>>();
  private readonly retryQueue: Array<{ ticket: GuardTicket; actual: number }> = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly signalled = new Set<string>();
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

  /** Rate limits: the shared store, or the local share when it cannot answer. */
  async hit(checks: readonly RateCheck[], member: string, replicas: number): Promise<HitResult & { degraded: boolean }> {
    if (this.redis && this.redis.ready) {
      try {
        return { ...(await this.store.hit(checks, member)), degraded: false };
      } catch {
        this.lastFailure = Date.now();
      }
    }
    if (!this.redis) return { ...(await this.local.hit(checks, member)), degraded: false };
    this.fallbacks++;
    const share = checks.map((c) => ({ ...c, limit: Math.max(1, Math.floor(c.limit / replicas)) }));
    return { ...(await this.local.hit(share, member)), degraded: true };
  }

  /** Budgets: reserve, or refuse with guard_unavailable when the store cannot answer. */
  async reserve(checks: readonly BudgetCheck[], amount: number): Promise<ReserveResult> {
    if (this.redis && !this.redis.ready) throw this.unavailable();
    try {
      const r = await this.store.reserve(checks, amount);
      if (!r.ok) this.budgetRefusals++;
      else checks.forEach((c, i) => this.maybeSignal(c.key, c.limit, r.states[i].spent + r.states[i].reserved + amount));
      return r;
    } catch (err) {
      if (err instanceof GatewayError) throw err;
      this.lastFailure = Date.now();
      throw this.unavailable();
    }
  }

  async budgets(keys: readonly string[]): Promise<BudgetState[]> {
    return this.store.budgets(keys);
  }

  /** Settles a ticket once, in the background; failures are retried until they land. */
  settle(ticket: GuardTicket, actual: number): void {
    if (ticket.settled) return;
    ticket.settled = true;
    this.track(this.trySettle(ticket, actual));
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
    const status = redisUp === false || recentFailure || this.retryQueue.length > 0 ? 'degraded' : 'up';
    return {
      status,
      detail: {
        backend: this.backend,
        ...(this.redis ? { redis: redisUp ? 'up' as const : 'down' as const } : {}),
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

  private async trySettle(ticket: GuardTicket, actual: number): Promise<void> {
    try {
      await this.store.settle(ticket.keys, ticket.reserved, actual, ticket.ttlMs);
      ticket.keys.forEach((k, i) => this.maybeSignalAfterSettle(k, ticket.limits[i]));
    } catch {
      this.lastFailure = Date.now();
      this.retryQueue.push({ ticket, actual });
      this.scheduleRetry();
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      const batch = this.retryQueue.splice(0);
      for (const { ticket, actual } of batch) this.track(this.trySettle(ticket, actual));
    }, RETRY_SETTLE_MS);
    this.retryTimer.unref();
  }

  private maybeSignalAfterSettle(key: string, limit: number): void {
    if (this.signalled.has(key)) return;
    this.store.budgets([key]).then(([s]) => this.maybeSignal(key, limit, s.spent + s.reserved), () => undefined);
  }

  private maybeSignal(counter: string, limitMicros: number, usedMicros: number): void {
    if (usedMicros < limitMicros * this.approachingAt || this.signalled.has(counter)) return;
    if (this.signalled.size >= MAX_SIGNALLED) this.signalled.clear();
    this.signalled.add(counter);
    const signal: BudgetSignal = { counter, limitMicros, usedMicros };
    this.signals.emit('budget-approaching', signal);
  }

  /** Share of a budget at which the approaching signal fires (from config; set per reload). */
  approachingAt = 0.8;
}
