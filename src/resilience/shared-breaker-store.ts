/**
 * The BreakerStore a gateway uses with `state: redis://…`: breakers shared by every replica
 * through RedisBreakerStore, plus two things the request path needs from it.
 *
 * A local mirror. Healthy traffic must not pay a Redis round trip, so `pristine` answers from a
 * per-replica view of the deployment's non-pristine breakers: refreshed by one HGETALL every
 * `syncMs` (default 500 ms) and updated at once by this replica's own writes. A breaker opened
 * on replica A is therefore seen by replica B within one sync interval plus one round trip
 * (documented as ≤ 1 s). Only targets the view lists as failing, open or half-open go to Redis.
 * Consecutive-failure counting is approximate across replicas by design: a success on a
 * replica whose view is still pristine is not reported, so it does not reset another
 * replica's count until the next sync.
 *
 * A failure policy. Redis unreachable (not connected, an error, or no answer within
 * `opTimeoutMs`) must never fail or slow a request: the operation runs on a local in-memory
 * store instead (seeded with the last view, so known-open breakers stay open), is counted in
 * `fallbacks`, and the store stays local for `retryAfterMs` before trying Redis again. A
 * black-holed Redis is noticed by the sync within one interval even when no request fails.
 * The local store is dropped when Redis is back: the shared record is the truth. A command
 * that timed out may still land in Redis later; at worst one failure is counted twice (there
 * and locally), which costs less than waiting for it.
 *
 * Records untouched for `staleMs` (at least 10 min, and at least two cooldowns) are pruned by
 * whichever replica notices first, so client-invented targets cannot grow the hash for ever.
 */
import type { RedisConnection } from '../stores/redis/redis-connection.js';
import type { BreakerConfig, BreakerRecord } from './breaker-state.js';
import type { BreakerAdmission, BreakerChange, BreakerStore } from './breaker-store.js';
import { systemClock, type Clock } from './clock.js';
import { MemoryBreakerStore } from './memory-breaker-store.js';
import type { RedisBreakerStore, StoredBreaker } from './redis-breaker-store.js';

export interface SharedBreakerOptions {
  /** How often the mirror is refreshed from Redis (default 500 ms). */
  readonly syncMs?: number;
  /** Longest wait for one breaker command before falling back (default 150 ms). */
  readonly opTimeoutMs?: number;
  /** How long to stay on the local store after a Redis failure (default 2 s). */
  readonly retryAfterMs?: number;
  /** Minimum age of an untouched record before it is pruned (default 10 min). */
  readonly staleMs?: number;
  readonly now?: Clock;
}

export interface BreakerStoreHealth {
  readonly status: 'up' | 'degraded';
  readonly backend: 'redis';
  /** Breaker operations answered by the local store because Redis was unreachable. */
  readonly fallbacks: number;
  /** Epoch ms of the last successful mirror refresh; null before the first. */
  readonly syncedAt: number | null;
  /** Non-pristine breakers in the mirror. */
  readonly tracked: number;
}

/** Connection readiness is all this store needs to know about the connection. */
type Connection = Pick<RedisConnection, 'ready'>;

function isPristine(r: BreakerRecord): boolean {
  return r.state === 'closed' && r.failures === 0;
}

/** Rejects when `p` takes longer than `ms`; the late result is ignored (never unhandled). */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  p.catch(() => undefined);
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

export class SharedBreakerStore implements BreakerStore {
  private view = new Map<string, BreakerRecord>();
  private sinceSync: Map<string, BreakerRecord> | undefined;
  private local = new MemoryBreakerStore();
  private onLocal = false;
  private lastFailure = Number.NEGATIVE_INFINITY;
  private syncing = false;
  private cooldownMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly now: Clock;
  private readonly syncMs: number;
  private readonly opTimeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly staleMs: number;
  fallbacks = 0;
  syncedAt: number | null = null;

  constructor(private readonly conn: Connection, private readonly remote: RedisBreakerStore, options: SharedBreakerOptions = {}) {
    this.now = options.now ?? systemClock;
    this.syncMs = options.syncMs ?? 500;
    this.opTimeoutMs = options.opTimeoutMs ?? 150;
    this.retryAfterMs = options.retryAfterMs ?? 2_000;
    this.staleMs = options.staleMs ?? 600_000;
  }

  /** Starts the periodic mirror refresh (timer unref'd: it never keeps a process alive). */
  start(): this {
    if (this.timer) return this;
    this.timer = setInterval(() => void this.sync(), this.syncMs);
    this.timer.unref();
    void this.sync();
    return this;
  }

  close(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  admit(key: string, now: number, config: BreakerConfig): Promise<BreakerAdmission> {
    this.cooldownMs = config.cooldownMs;
    return this.run(key, () => this.remote.admit(key, now, config), () => this.local.admit(key, now, config));
  }

  recordSuccess(key: string, now: number, config: BreakerConfig): Promise<BreakerChange> {
    return this.run(key, () => this.remote.recordSuccess(key, now, config), () => this.local.recordSuccess(key));
  }

  recordFailure(key: string, now: number, config: BreakerConfig): Promise<BreakerChange> {
    this.cooldownMs = config.cooldownMs;
    return this.run(key, () => this.remote.recordFailure(key, now, config), () => this.local.recordFailure(key, now, config));
  }

  async read(key: string): Promise<BreakerRecord> {
    if (this.usable()) {
      try {
        return await within(this.remote.read(key), this.opTimeoutMs);
      } catch {
        this.failed();
      }
    }
    return this.local.read(key);
  }

  /** Synchronous and free: answered from the mirror (or the local store while degraded). */
  pristine(key: string): boolean {
    return this.usable() ? !this.view.has(key) : this.local.pristine(key);
  }

  health(): BreakerStoreHealth {
    const degraded = !this.conn.ready || this.now() - this.lastFailure < this.retryAfterMs;
    return { status: degraded ? 'degraded' : 'up', backend: 'redis', fallbacks: this.fallbacks, syncedAt: this.syncedAt, tracked: this.view.size };
  }

  /** Refreshes the mirror from Redis, keeping writes made meanwhile; then prunes stale records. */
  async sync(): Promise<void> {
    if (!this.conn.ready || this.syncing) return;
    this.syncing = true;
    const during = new Map<string, BreakerRecord>();
    this.sinceSync = during;
    try {
      const all = await within(this.remote.all(), Math.max(this.opTimeoutMs, this.syncMs));
      const view = new Map<string, BreakerRecord>();
      for (const [key, stored] of all) view.set(key, stored.record);
      for (const [key, record] of during) {
        if (isPristine(record)) view.delete(key);
        else view.set(key, record);
      }
      this.view = view;
      this.syncedAt = this.now();
      await this.prune(all);
    } catch {
      this.failed();
    } finally {
      this.sinceSync = undefined;
      this.syncing = false;
    }
  }

  private async prune(all: Map<string, StoredBreaker>): Promise<void> {
    const cutoff = this.now() - Math.max(this.staleMs, 2 * this.cooldownMs);
    for (const [key, stored] of all) {
      if (stored.touchedAt >= cutoff) continue;
      if (await within(this.remote.forget(key, stored.raw), this.opTimeoutMs)) this.view.delete(key);
    }
  }

  private async run<T extends BreakerChange>(key: string, remote: () => Promise<T>, local: () => Promise<T>): Promise<T> {
    if (this.usable()) {
      try {
        const result = await within(remote(), this.opTimeoutMs);
        this.remember(key, result.record);
        return result;
      } catch {
        this.failed();
      }
    }
    this.fallbacks++;
    return local();
  }

  private remember(key: string, record: BreakerRecord): void {
    if (isPristine(record)) this.view.delete(key);
    else this.view.set(key, record);
    this.sinceSync?.set(key, record);
  }

  /** Whether Redis may be used now; switches between the shared and the local store. */
  private usable(): boolean {
    const ok = this.conn.ready && this.now() - this.lastFailure >= this.retryAfterMs;
    if (ok && this.onLocal) {
      this.onLocal = false;
      this.local = new MemoryBreakerStore();
    } else if (!ok && !this.onLocal) {
      this.goLocal();
    }
    return ok;
  }

  private failed(): void {
    this.lastFailure = this.now();
    if (!this.onLocal) this.goLocal();
  }

  private goLocal(): void {
    this.onLocal = true;
    for (const [key, record] of this.view) this.local.seed(key, record);
  }
}
