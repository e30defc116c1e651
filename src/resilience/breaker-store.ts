/**
 * Where circuit-breaker records live. The interface speaks in breaker operations rather than
 * get/set so that a shared backend (Redis) can apply each transition atomically: two
 * replicas admitting "the one probe" at the same instant must not both win. Every method is
 * async so a networked store fits the same shape; the memory store simply resolves at once.
 *
 * Each mutation returns the state before and the record after, which is all the caller needs
 * to notice a transition (for metrics, alerts and logs) without a second read. The rules
 * themselves are in breaker-state.ts; the config travels with each call so a config reload
 * changes thresholds without discarding what the breakers have learned.
 */
import type { Admission, BreakerConfig, BreakerRecord, BreakerStateName } from './breaker-state.js';

export interface BreakerChange {
  readonly before: BreakerStateName;
  readonly record: BreakerRecord;
}

export interface BreakerAdmission extends BreakerChange {
  readonly admission: Admission;
}

export interface BreakerStore {
  /** Asks to send a request to `key`; may turn an open breaker half-open (the probe). */
  admit(key: string, now: number, config: BreakerConfig): Promise<BreakerAdmission>;
  recordSuccess(key: string, now: number, config: BreakerConfig): Promise<BreakerChange>;
  recordFailure(key: string, now: number, config: BreakerConfig): Promise<BreakerChange>;
  /** The current record, without changing it (a key never seen reads as closed). */
  read(key: string): Promise<BreakerRecord>;
  /**
   * Optional synchronous peek: true when the store holds nothing for `key` (a healthy, closed
   * breaker with no failures). Lets the request path skip the asynchronous round trips for the
   * overwhelmingly common healthy case; stores that cannot answer cheaply leave it out.
   */
  pristine?(key: string): boolean;
}
