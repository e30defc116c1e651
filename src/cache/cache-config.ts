/**
 * The `cache` and `operations` sections of tollgate.yaml: their strict zod schemas and the
 * frozen runtime form the cache stage reads. Operation policies are per operation label
 * (`x-tollgate-operation` or the metadata's `operation`) and may set a TTL, skip the cache,
 * change the scope, opt in to the semantic cache, or declare that hits are expected (accepted
 * and compiled for later warnings; nothing reads it yet).
 *
 * Durations are seconds in the file and milliseconds at run time. This module does not open
 * stores; cache-runtime.ts does.
 */
import { z } from 'zod';
import { num } from '../resilience/resilience-config.js';

const DAY = 86_400;
export const CACHE_SCOPES = ['global', 'tenant', 'user'] as const;
export type CacheScope = (typeof CACHE_SCOPES)[number];

const seconds = () => num().int().min(1).max(365 * DAY);

export const cacheConfigSchema = z.object({
  /** Off by default: caching answers is a decision per deployment (sampled chat answers vary). */
  enabled: z.boolean().default(false),
  /** TTL when neither the request nor its operation gives one, seconds. */
  defaultTtl: seconds().default(3600),
  minTtl: seconds().default(60),
  maxTtl: seconds().default(30 * DAY),
  scope: z.enum(CACHE_SCOPES).default('tenant'),
  /**
   * In-process LRU bound, bytes of stored answers. Unset: 8 MiB in front of a shared layer,
   * 32 MiB when memory is the only layer (see MEMORY_LAYER_DEFAULTS).
   */
  memoryMaxBytes: num().int().min(1024).max(64 * 1024 ** 3).optional(),
  /** Shared layer: `auto` = Redis with `state: redis://`, else SQLite. */
  shared: z.enum(['auto', 'sqlite', 'redis', 'none']).default('auto'),
  sqlitePath: z.string().min(1).default('./data/cache.db'),
  redisPrefix: z.string().min(1).max(128).default('tollgate:cache:'),
  /** Store answers cut by `finish_reason: length` (off: they are usually unwanted). */
  cacheLengthTruncated: z.boolean().default(false),
  /** How long identical concurrent requests wait for the first one before calling themselves, ms. */
  coalesceWaitMs: num().int().min(0).max(600_000).default(30_000),
  /** The semantic cache, used by operations with `semantic: true` once `route` is set. */
  semantic: z.object({
    /** Embeddings model (`provider/model` or a route alias) that embeds prompts. */
    route: z.string().min(1).max(256).optional(),
    /** Cosine similarity an entry needs to answer a different prompt. */
    threshold: num().min(0).max(1).default(0.95),
    /** Vectors kept in the in-process index; the oldest go first. */
    maxEntries: num().int().min(1).max(1_000_000).default(10_000),
    /** Bound of the embedding call; slower means no semantic lookup. */
    timeoutMs: num().int().min(1).max(60_000).default(2_000),
  }).strict().prefault({}),
}).strict().superRefine((c, ctx) => {
  if (c.minTtl > c.maxTtl) ctx.addIssue({ code: 'custom', path: ['minTtl'], message: 'minTtl must not exceed maxTtl' });
});

export const operationPolicySchema = z.object({
  cacheTtl: seconds().optional(),
  cache: z.enum(['use', 'skip']).default('use'),
  scope: z.enum(CACHE_SCOPES).optional(),
  semantic: z.boolean().default(false),
  expectCacheHits: z.boolean().default(false),
}).strict();

export const operationsConfigSchema = z.record(z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/), operationPolicySchema);

export type CacheConfig = z.output<typeof cacheConfigSchema>;

/**
 * The in-process layer's default bound. It holds decoded entries on the V8 heap, where a full
 * layer that keeps evicting costs about twice its bound in resident memory (garbage waiting for
 * a full collection, and the heap's growth headroom over what survives one): 32 MiB of entries
 * measured as about 55 MiB more peak RSS in the benchmark's full-pipeline gateway. In front of
 * a shared layer a miss here costs a SQLite or Redis read, not an upstream call, so a small hot
 * tier is the better trade; alone, it is the whole cache and gets more room.
 */
export const MEMORY_LAYER_DEFAULTS = Object.freeze({ withSharedLayer: 8 * 1024 * 1024, alone: 32 * 1024 * 1024 });
export type OperationPolicy = z.output<typeof operationPolicySchema>;

export interface RuntimeCacheConfig {
  readonly enabled: boolean;
  readonly defaultTtlMs: number;
  readonly minTtlMs: number;
  readonly maxTtlMs: number;
  readonly scope: CacheScope;
  readonly memoryMaxBytes: number;
  readonly shared: CacheConfig['shared'];
  readonly sqlitePath: string;
  readonly redisPrefix: string;
  readonly cacheLengthTruncated: boolean;
  readonly coalesceWaitMs: number;
  readonly semantic: Readonly<CacheConfig['semantic']>;
  readonly operations: ReadonlyMap<string, Readonly<OperationPolicy>>;
}

export function compileCacheConfig(cfg: CacheConfig, operations: Record<string, OperationPolicy>): RuntimeCacheConfig {
  return Object.freeze({
    enabled: cfg.enabled,
    defaultTtlMs: cfg.defaultTtl * 1000,
    minTtlMs: cfg.minTtl * 1000,
    maxTtlMs: cfg.maxTtl * 1000,
    scope: cfg.scope,
    memoryMaxBytes: cfg.memoryMaxBytes
      ?? (cfg.shared === 'none' ? MEMORY_LAYER_DEFAULTS.alone : MEMORY_LAYER_DEFAULTS.withSharedLayer),
    shared: cfg.shared,
    sqlitePath: cfg.sqlitePath,
    redisPrefix: cfg.redisPrefix,
    cacheLengthTruncated: cfg.cacheLengthTruncated,
    coalesceWaitMs: cfg.coalesceWaitMs,
    semantic: cfg.semantic,
    operations: new Map(Object.entries(operations)),
  });
}
