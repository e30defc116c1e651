/**
 * The cache's part of `GET /health`: whether it is on, its layers, and whether the shared layer
 * is answering. A cache whose Redis layer is down still serves (lookups become misses), so it
 * reports `degraded`, never `unhealthy`, and it never makes the gateway not ready.
 */
import type { RedisConnection } from '../stores/redis/redis-connection.js';
import type { CacheRuntime } from './cache-runtime.js';

export interface CacheHealth {
  status: 'healthy' | 'degraded' | 'not_configured';
  [detail: string]: unknown;
}

export function cacheHealth(enabled: boolean, rt: CacheRuntime, redis: RedisConnection | undefined): CacheHealth {
  if (!enabled) return { status: 'not_configured' };
  const s = rt.cache.stats();
  const sharedDown = s.shared === 'redis' && redis !== undefined && !redis.ready;
  return {
    status: sharedDown ? 'degraded' : 'healthy',
    shared: s.shared, entries: s.entries, bytes: s.bytes, hits: s.hits, misses: s.misses, readErrors: s.readErrors, writeErrors: s.writeErrors,
  };
}
