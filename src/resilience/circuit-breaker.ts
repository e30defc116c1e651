/**
 * Circuit breakers per target, as the request path uses them: ask `allow` before an attempt,
 * report `onSuccess`/`onFailure` after it, read `state`/`gauge` for metrics and health. State
 * lives in a BreakerStore (memory by default, shared through Redis with `state: redis://`) and the rules in breaker-state.ts;
 * this class adds the clock, the current config, and the `onTransition` hook through which
 * metrics, alerts and logs learn that a breaker opened, went half-open or closed.
 *
 * A listener that throws is swallowed: observing a breaker must never fail the request that
 * moved it. Which failures count is the caller's decision (retryable upstream failures and
 * timeouts should; a client's own 4xx should not).
 */
import { DEFAULT_BREAKER_CONFIG, gaugeValue, wouldAdmit } from './breaker-state.js';
import type { Admission, BreakerConfig, BreakerStateName } from './breaker-state.js';
import type { BreakerChange, BreakerStore } from './breaker-store.js';
import { systemClock, type Clock } from './clock.js';

export interface BreakerTransition {
  readonly key: string;
  readonly from: BreakerStateName;
  readonly to: BreakerStateName;
  /** Epoch ms of the change. */
  readonly at: number;
  /** Consecutive failures recorded when it happened. */
  readonly failures: number;
}

export interface CircuitBreakerOptions {
  readonly config?: BreakerConfig;
  readonly now?: Clock;
  readonly onTransition?: (transition: BreakerTransition) => void;
}

export class CircuitBreaker {
  private config: BreakerConfig;
  private readonly now: Clock;
  private readonly listener: ((t: BreakerTransition) => void) | undefined;

  constructor(private readonly store: BreakerStore, options: CircuitBreakerOptions = {}) {
    this.config = options.config ?? DEFAULT_BREAKER_CONFIG;
    this.now = options.now ?? systemClock;
    this.listener = options.onTransition;
  }

  /** Applies new thresholds (config reload) while keeping every breaker's learned state. */
  configure(config: BreakerConfig): void {
    this.config = config;
  }

  /** True when the breaker for `key` is closed with no failures on record (sync, cheap). */
  isPristine(key: string): boolean {
    return this.store.pristine?.(key) ?? false;
  }

  /** 'closed': go ahead; 'half-open-probe': go ahead as the single probe; 'open': skip this target. */
  async allow(key: string): Promise<Admission> {
    const at = this.now();
    const result = await this.store.admit(key, at, this.config);
    this.notify(key, at, result);
    return result.admission;
  }

  async onSuccess(key: string): Promise<void> {
    const at = this.now();
    this.notify(key, at, await this.store.recordSuccess(key, at, this.config));
  }

  async onFailure(key: string): Promise<void> {
    const at = this.now();
    this.notify(key, at, await this.store.recordFailure(key, at, this.config));
  }

  async state(key: string): Promise<BreakerStateName> {
    return (await this.store.read(key)).state;
  }

  /** The `ai_gateway_circuit_breaker_state` value: 0 closed, 1 open, 2 half-open. */
  async gauge(key: string): Promise<0 | 1 | 2> {
    return gaugeValue(await this.state(key));
  }

  /** Whether `allow` would admit now, without claiming the probe (for target selection). */
  async available(key: string): Promise<boolean> {
    return wouldAdmit(await this.store.read(key), this.now(), this.config);
  }

  private notify(key: string, at: number, change: BreakerChange): void {
    const to = change.record.state;
    if (!this.listener || change.before === to) return;
    try {
      this.listener({ key, from: change.before, to, at, failures: change.record.failures });
    } catch {
      // Deliberately ignored: see the module comment.
    }
  }
}
