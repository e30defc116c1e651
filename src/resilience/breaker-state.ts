/**
 * The circuit breaker's state machine as pure functions over a plain record, so every store
 * (memory, and Redis through its Lua port) applies exactly the same rules and tests need no clock or I/O.
 *
 *   closed ──N consecutive failures──▶ open ──cooldown elapsed, next caller──▶ half-open
 *     ▲                                  ▲                                        │
 *     └───────────── probe succeeds ─────┼──────────── probe fails ───────────────┘
 *
 * While half-open exactly one caller (the probe) is admitted; the others are rejected as if
 * open. A probe that never reports back (client gone, process crashed) must not wedge the
 * breaker, so once another full cooldown passes a new probe is admitted: at most one probe per
 * cooldown, never zero forever.
 *
 * Reports that arrive while open are ignored: they come from requests admitted before the
 * breaker tripped and say nothing new, and letting late failures push `openedAt` forward would
 * keep a recovered target locked out. While half-open any report counts, not only the probe's:
 * a success from any request is evidence of recovery, a failure evidence against it, and
 * telling the probe apart would need a token round trip that a shared store makes costly.
 * This module has no notion of which errors count as failures; the caller decides (client
 * errors such as 400 should not trip a breaker).
 */

export type BreakerStateName = 'closed' | 'open' | 'half-open';

/** What a caller may do now: go ahead, go ahead as the single probe, or skip the target. */
export type Admission = 'closed' | 'half-open-probe' | 'open';

export interface BreakerConfig {
  /** Consecutive failures that open the breaker (default 5). */
  readonly failureThreshold: number;
  /** How long an open breaker rejects before letting a probe through (default 30 s). */
  readonly cooldownMs: number;
}

export interface BreakerRecord {
  readonly state: BreakerStateName;
  /** Consecutive failures while closed. */
  readonly failures: number;
  /** When the breaker last opened (epoch ms); 0 when it never has. */
  readonly openedAt: number;
  /** When the current half-open probe was admitted (epoch ms); 0 when none. */
  readonly probeAt: number;
}

export const DEFAULT_BREAKER_CONFIG: BreakerConfig = Object.freeze({ failureThreshold: 5, cooldownMs: 30_000 });

export const CLOSED: BreakerRecord = Object.freeze({ state: 'closed', failures: 0, openedAt: 0, probeAt: 0 });

/** Prometheus gauge values: 0 closed, 1 open, 2 half-open. */
export function gaugeValue(state: BreakerStateName): 0 | 1 | 2 {
  return state === 'closed' ? 0 : state === 'open' ? 1 : 2;
}

/** True when `admit` at `now` would let a caller through (closed, or a probe is due). */
export function wouldAdmit(record: BreakerRecord, now: number, config: BreakerConfig): boolean {
  if (record.state === 'closed') return true;
  const since = record.state === 'open' ? record.openedAt : record.probeAt;
  return now - since >= config.cooldownMs;
}

/** Decides admission and returns the record to store (a probe marks the breaker half-open). */
export function admit(record: BreakerRecord, now: number, config: BreakerConfig): { admission: Admission; next: BreakerRecord } {
  if (record.state === 'closed') return { admission: 'closed', next: record };
  if (!wouldAdmit(record, now, config)) return { admission: 'open', next: record };
  return { admission: 'half-open-probe', next: { ...record, state: 'half-open', probeAt: now } };
}

export function afterSuccess(record: BreakerRecord): BreakerRecord {
  // Open: a late report from before the trip; only a probe may close the breaker.
  if (record.state === 'open') return record;
  return record.failures === 0 && record.state === 'closed' ? record : CLOSED;
}

export function afterFailure(record: BreakerRecord, now: number, config: BreakerConfig): BreakerRecord {
  if (record.state === 'open') return record;
  if (record.state === 'half-open') return { state: 'open', failures: record.failures, openedAt: now, probeAt: 0 };
  const failures = record.failures + 1;
  if (failures >= config.failureThreshold) return { state: 'open', failures, openedAt: now, probeAt: 0 };
  return { ...record, failures };
}
