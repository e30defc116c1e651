/**
 * The response cache of one gateway process: the layered store (in-process LRU over SQLite or
 * Redis) and the in-flight coalescer, opened once at start from the config of that moment.
 * A hot reload changes policies (TTLs, scopes, operations) at once, but layer choice and sizes
 * only at restart. The shared layer: `auto` uses Redis when `state: redis://` gave the gateway
 * a connection, else SQLite; `redis` without a connection falls back to none.
 */
import type { RedisConnection } from '../stores/redis/redis-connection.js';
import type { Clock } from '../resilience/clock.js';
import type { RuntimeCacheConfig } from './cache-config.js';
import type { CacheStore } from './cache-store.js';
import { Coalescer } from './coalescer.js';
import { LayeredCache } from './layered-cache.js';
import { RedisCacheStore } from './redis-cache-store.js';
import { SqliteCacheStore } from './sqlite-cache-store.js';
import { SemanticIndex } from './semantic-index.js';

export interface CacheRuntime {
  readonly cache: LayeredCache;
  readonly coalescer: Coalescer;
  /** Prompt vectors of stored answers, for operations using the semantic cache. */
  readonly semantic: SemanticIndex;
  readonly now: Clock;
}

function sharedLayer(cfg: RuntimeCacheConfig, redis: RedisConnection | undefined, now: Clock): [CacheStore<string> | undefined, string] {
  const choice = cfg.shared === 'auto' ? (redis ? 'redis' : 'sqlite') : cfg.shared;
  if (choice === 'redis' && redis) return [new RedisCacheStore(redis, cfg.redisPrefix), 'redis'];
  if (choice === 'sqlite') return [new SqliteCacheStore(cfg.sqlitePath, now), 'sqlite'];
  return [undefined, 'none'];
}

export function openCacheRuntime(cfg: RuntimeCacheConfig, redis: RedisConnection | undefined, now: Clock = Date.now): CacheRuntime {
  const [shared, name] = sharedLayer(cfg, redis, now);
  return { cache: new LayeredCache(cfg.memoryMaxBytes, shared, name, now), coalescer: new Coalescer(), semantic: new SemanticIndex(cfg.semantic.maxEntries), now };
}
