/**
 * The RateLimit and RateLimit-Policy response fields of the IETF httpapi ratelimit-headers
 * draft (structured-field lists): `RateLimit-Policy: "default-1m";q=60;w=60, …` names every
 * policy applied to the request, and `RateLimit: "default-1m";r=12;t=41` reports the one
 * closest to exhaustion (remaining units r, seconds t until its oldest use leaves the window).
 * Remaining is never negative. Retry-After is a whole number of seconds, at least 1.
 * Policy names come from config keys that are not restricted, so they are written as escaped
 * structured-field strings (fuzzing found a class name with `"` broke the syntax and one outside
 * latin-1 made setHeader throw, failing every request of that class).
 */
import type { HitResult } from './guard-store.js';
import type { PlannedCheck } from './rate-checks.js';

export interface RateHeaders {
  readonly ratelimit: string;
  readonly policy: string;
}

/** Largest sf-integer (15 digits, RFC 8941); larger configured limits are reported as this. */
const SF_INTEGER_MAX = 999_999_999_999_999;
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function percentEncode(ch: string): string {
  let out = '';
  for (const b of Buffer.from(ch, 'utf8')) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return out;
}

/** A policy name as an sf-string: non-printable/non-ASCII percent-encoded, `"` and `\` escaped. */
export function sfString(name: string): string {
  if (PLAIN.test(name)) return `"${name}"`;
  const ascii = name.replace(/[^\x20-\x7e]/gu, percentEncode);
  return `"${ascii.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

function sfInteger(n: number): number {
  return Math.min(n, SF_INTEGER_MAX);
}

/** One RateLimit-Policy item: `"name";q=<limit>;w=<window seconds>`. */
export function policyItem(name: string, limit: number, windowMs: number): string {
  return `${sfString(name)};q=${sfInteger(limit)};w=${sfInteger(Math.round(windowMs / 1000))}`;
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
    if (policy === undefined) policies.push(policyItem(c.policy, limits[i], c.windowMs));
  }
  const t = Math.max(0, Math.ceil((hit.allowed ? hit.resetMs[tightest] : hit.retryAfterMs) / 1000));
  const named = checks[tightest];
  return { ratelimit: `${named.sfPolicy ?? sfString(named.policy)};r=${sfInteger(tightestLeft)};t=${sfInteger(t)}`, policy: policy ?? policies.join(', ') };
}

export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
