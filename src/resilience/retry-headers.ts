/**
 * Per-request retry settings a client may send as headers — the Tollgate names and the
 * Cloudflare AI Gateway ones, so a client migrating from Cloudflare keeps its headers:
 *   x-tollgate-max-attempts / cf-aig-max-attempts        whole number 1..10
 *   cf-aig-retry-delay                                   ms 0..60000 (the backoff base)
 *   cf-aig-backoff                                       constant | linear | exponential
 *   x-tollgate-request-timeout / cf-aig-request-timeout  ms 1..600000
 * When both spellings are sent the first valid one wins, Tollgate's name first.
 *
 * An invalid value (not a plain decimal whole number, out of range, unknown word) is ignored
 * as if absent and the configured setting applies; parsing never throws. Headers tune
 * resilience, they must never be a way to fail a request. Applying the values is
 * retry-policy.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { BackoffType } from './backoff.js';

export interface RetryOverrides {
  readonly maxAttempts?: number;
  readonly retryDelayMs?: number;
  readonly backoff?: BackoffType;
  readonly requestTimeoutMs?: number;
}

const BACKOFFS: ReadonlySet<string> = new Set<BackoffType>(['constant', 'linear', 'exponential']);

function values(headers: IncomingHttpHeaders, names: readonly string[]): string[] {
  const out: string[] = [];
  for (const name of names) {
    const v = headers[name];
    if (typeof v === 'string') out.push(v.trim());
    else if (Array.isArray(v)) out.push(...v.map((s) => s.trim()));
  }
  return out;
}

function wholeNumber(headers: IncomingHttpHeaders, names: readonly string[], min: number, max: number): number | undefined {
  for (const raw of values(headers, names)) {
    // Plain digits only: "1e3", "0x10", "3.5" and "+2" are not what a client means by a count.
    if (!/^\d{1,9}$/.test(raw)) continue;
    const n = Number(raw);
    if (n >= min && n <= max) return n;
  }
  return undefined;
}

function backoffType(headers: IncomingHttpHeaders): BackoffType | undefined {
  for (const raw of values(headers, ['cf-aig-backoff'])) {
    const v = raw.toLowerCase();
    if (BACKOFFS.has(v)) return v as BackoffType;
  }
  return undefined;
}

export function parseRetryOverrides(headers: IncomingHttpHeaders): RetryOverrides {
  const found = {
    maxAttempts: wholeNumber(headers, ['x-tollgate-max-attempts', 'cf-aig-max-attempts'], 1, 10),
    retryDelayMs: wholeNumber(headers, ['cf-aig-retry-delay'], 0, 60_000),
    backoff: backoffType(headers),
    requestTimeoutMs: wholeNumber(headers, ['x-tollgate-request-timeout', 'cf-aig-request-timeout'], 1, 600_000),
  };
  // Drop absent fields so the result spreads cleanly over defaults.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(found)) if (v !== undefined) out[k] = v;
  return out as RetryOverrides;
}
