/**
 * The RateLimit and RateLimit-Policy response fields of the IETF httpapi ratelimit-headers
 * draft (structured-field lists): `RateLimit-Policy: "default-1m";q=60;w=60, …` names every
 * policy applied to the request, and `RateLimit: "default-1m";r=12;t=41` reports the one
 * closest to exhaustion (remaining units r, seconds t until its oldest use leaves the window).
 * Remaining is never negative. Retry-After is a whole number of seconds, at least 1.
 */
import type { HitResult } from './guard-store.js';
import type { PlannedCheck } from './rate-checks.js';

export interface RateHeaders {
  readonly ratelimit: string;
  readonly policy: string;
}

/** `policy`: the precomputed RateLimit-Policy when the limits are the configured ones. */
export function rateHeaders(checks: readonly PlannedCheck[], limits: readonly number[], hit: HitResult, policy?: string): RateHeaders | undefined {
  if (checks.length === 0) return undefined;
  let tightest = 0;
  let tightestLeft = Infinity;
  const policies: string[] = [];
  for (let i = 0; i < checks.length; i++) {
    const c = checks[i];
    const left = Math.max(0, limits[i] - hit.counts[i] - (hit.allowed ? 1 : 0));
    if (left < tightestLeft) {
      tightestLeft = left;
      tightest = i;
    }
    if (policy === undefined) policies.push(`"${c.policy}";q=${limits[i]};w=${Math.round(c.windowMs / 1000)}`);
  }
  const t = Math.max(0, Math.ceil((hit.allowed ? hit.resetMs[tightest] : hit.retryAfterMs) / 1000));
  return { ratelimit: `"${checks[tightest].policy}";r=${tightestLeft};t=${t}`, policy: policy ?? policies.join(', ') };
}

export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
