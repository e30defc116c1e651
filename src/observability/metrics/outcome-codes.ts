/**
 * Which finished requests count as rate-limited, budget-rejected or cache hits/misses, decided
 * from the UsageEvent alone. Limit and budget refusals are recognised by their stable error
 * codes (string comparison: the codes belong to the guards' part of the catalogue).
 */
import type { CacheStatus } from '../../metering/usage-event.js';

export function rateLimited(code: string | null): boolean {
  return code === 'rate_limit_exceeded';
}

export function budgetRejection(code: string | null): boolean {
  return code === 'budget_exceeded' || code === 'insufficient_quota' || code === 'request_cost_too_high';
}

/**
 * The `result` label of ai_gateway_cache_requests_total (`HIT`, `MISS`, `BYPASS`, as in the
 * cache status header and the alert rules); undefined when no cache was asked.
 */
export function cacheResult(status: CacheStatus | null): CacheStatus | undefined {
  return status ?? undefined;
}
