/**
 * The one shared Redis connection of a gateway process (`state: redis://…`), used by every
 * Redis-backed store (counters, budgets, cache, breakers). It is opened lazily and never
 * blocks start: a gateway starts while Redis is down and recovers without a restart, because
 * ioredis reconnects in the background with a capped delay.
 *
 * Commands never queue while disconnected (`enableOfflineQueue: false`) and each has a short
 * deadline, so a caller learns "unavailable" in milliseconds and applies its own failure policy
 * (cache: miss; rate limits: local share; budgets: fail closed). It deliberately holds no store
 * logic and no key naming; stores prefix their own keys.
 *
 * A connection can also stay open while nothing comes back (a half-open TCP connection after a
 * failover, a NAT entry dropped, a black-holed network): ioredis then reports "ready" for ever
 * while every command times out. A heartbeat PING every HEARTBEAT_MS notices two misses in a row
 * and drops the connection so ioredis dials a fresh one; without it, stores would stay degraded
 * until a restart even after the network healed.
 */
import type { Redis } from 'ioredis';
import { lazyRequire } from '../../runtime/lazy-require.js';

/** The client library is loaded only by gateways that use Redis (lazy-require.ts). */
const ioredis = lazyRequire<typeof import('ioredis')>('ioredis');

export interface RedisHealth {
  readonly status: 'up' | 'down';
  /** Last round-trip latency of a health check, ms (undefined before the first). */
  readonly latencyMs: number | undefined;
  readonly lastError: string | undefined;
}

const HEARTBEAT_MS = 1_000;
const MISSES_BEFORE_RECONNECT = 2;

export interface RedisConnectionOptions {
  /** Per-command deadline; a slower answer counts as unavailable. */
  commandTimeoutMs?: number;
  /** Cap of the reconnect back-off. */
  maxReconnectDelayMs?: number;
  /** Interval of the liveness PING (tests shorten it). */
  heartbeatMs?: number;
}

export class RedisConnection {
  readonly client: Redis;
  private lastError: string | undefined;
  private latency: number | undefined;
  private closed = false;
  private misses = 0;
  private readonly heartbeat: NodeJS.Timeout;
  /** Connections dropped because they stopped answering (for tests and diagnostics). */
  replaced = 0;

  constructor(readonly url: string, options: RedisConnectionOptions = {}) {
    const cap = options.maxReconnectDelayMs ?? 2_000;
    this.client = new (ioredis().Redis)(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      commandTimeout: options.commandTimeoutMs ?? 500,
      connectTimeout: 2_000,
      // Keep trying for ever: the gateway must recover from an outage without a restart.
      retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), cap),
    });
    this.client.on('error', (err: Error) => { this.lastError = err.message; });
    this.client.on('ready', () => { this.lastError = undefined; });
    this.client.connect().catch((err: Error) => { this.lastError = err.message; });
    this.heartbeat = setInterval(() => void this.beat(), options.heartbeatMs ?? HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  private async beat(): Promise<void> {
    if (!this.ready) return;
    try {
      await this.client.ping();
      this.misses = 0;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
      if (++this.misses < MISSES_BEFORE_RECONNECT || this.closed) return;
      this.misses = 0;
      this.replaced++;
      this.client.disconnect(true); // ioredis reconnects with its usual back-off
    }
  }

  /** True when commands can be sent right now (no waiting for a reconnect). */
  get ready(): boolean {
    return this.client.status === 'ready';
  }

  /** One PING with its latency; never throws. */
  async check(): Promise<RedisHealth> {
    if (!this.ready) return this.health();
    const t0 = performance.now();
    try {
      await this.client.ping();
      this.latency = performance.now() - t0;
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
    }
    return this.health();
  }

  health(): RedisHealth {
    return { status: this.ready && this.lastError === undefined ? 'up' : 'down', latencyMs: this.latency, lastError: this.lastError };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }
}

/** The connection for a `state` URL, or undefined for `memory://`. */
export function openStateConnection(stateUrl: string, options?: RedisConnectionOptions): RedisConnection | undefined {
  if (!/^rediss?:\/\//.test(stateUrl)) return undefined;
  return new RedisConnection(stateUrl, options);
}
