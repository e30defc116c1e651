/**
 * The spend-guard rows of the benchmark: the gateway with a key, a rate limit and a budget on
 * every request, once with the in-memory guard store (`gateway-guards`) and once with Redis
 * (`gateway-guards-redis`, one round trip per request before the upstream call, plus the
 * background settlement). Both are `gateway-bare` (no metering sinks) plus the guards, and each
 * row is compared with gateway-bare's non-stream row at the same concurrency, measured in the
 * same alternating slices. Target: memory within 10% of gateway-bare; Redis: reported.
 *
 * Limits are set high so nothing is refused; the point is the cost of checking them.
 */
import { redisTestPrefix } from '../src/stores/redis/redis-test-url.js';
import type { Row, TargetCheck } from './report.js';
import { ratioCheck, worstOf } from './round-ratios.js';
import type { Scenario, TargetId } from './scenarios.js';

export const GUARD_TARGETS = ['gateway-guards', 'gateway-guards-redis'] as const;
export type GuardTargetId = (typeof GUARD_TARGETS)[number];
export const GUARD_MODES: Readonly<Record<GuardTargetId, string>> = { 'gateway-guards': 'guards-memory', 'gateway-guards-redis': 'guards-redis' };
export const GUARD_LIMIT = 0.9;

export const BENCH_KEY = 'tg-bench-key-0123456789abcdef0123456789';

export function isGuardTarget(target: TargetId): target is GuardTargetId {
  return (GUARD_TARGETS as readonly string[]).includes(target);
}

/** Config lines added to gateway-bare's for a guard target. */
export function guardConfigLines(target: GuardTargetId): string[] {
  const redis = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const state = target === 'gateway-guards-redis' ? [`state: ${JSON.stringify(`${redis}${redis.includes('?') ? '&' : '?'}keyPrefix=${redisTestPrefix('bench')}`)}`] : [];
  return [
    ...state,
    `keys: [ { name: bench, tenant: bench, key: ${BENCH_KEY}, rateLimits: { perMinute: 1000000000 }, budget: { perRequest: 1, daily: 1000000 } } ]`,
    'rateLimits: { default: { perMinute: 1000000000 } }',
  ];
}

export function guardScenarios(levels: readonly number[], targets: readonly TargetId[], body: string): Scenario[] {
  const list: Scenario[] = [];
  for (const connections of levels) {
    for (const target of GUARD_TARGETS.filter((t) => targets.includes(t))) {
      list.push({
        target, mode: GUARD_MODES[target], connections, path: '/v1/chat/completions', body, expect: 'json',
        baselineMode: 'non-stream', baselineTarget: 'gateway-bare', headers: { authorization: `Bearer ${BENCH_KEY}` },
      });
    }
  }
  return list;
}

/** Memory guards: worst concurrency within 10% of gateway-bare; Redis: reported only. */
export function guardTargets(rows: readonly Row[]): TargetCheck[] {
  return GUARD_TARGETS.map((target) => ratioCheck(
    `${target} (key + rate limit + budget) vs gateway-bare, non-stream (worst concurrency)`,
    worstOf(rows, (r) => r.target === target, 'vsBaseline'), GUARD_LIMIT, 'percent', target === 'gateway-guards'));
}
