/**
 * Per-request cache controls read from headers (Tollgate names and their Cloudflare AI Gateway
 * aliases) and merged with the operation policy and the config defaults: whether the cache is
 * used at all, whether a fresh answer is forced, the TTL (clamped to [minTtl, maxTtl]), a
 * custom key, and the scope. A malformed control is ignored (defaults apply), never an error.
 *
 * A request asking for `user` scope without an end user is not cached at all: an answer must
 * never be shared between unidentified users.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { CacheScope, RuntimeCacheConfig } from './cache-config.js';

export interface CacheDecision {
  /** Why the cache is not used, or undefined when it is. */
  bypass: 'disabled' | 'skip' | 'operation' | 'no-user' | undefined;
  /** Go upstream even if an entry exists, and store the new answer. */
  refresh: boolean;
  ttlMs: number;
  scope: CacheScope;
  customKey: string | undefined;
  semantic: boolean;
}

function header(h: IncomingHttpHeaders, a: string, b?: string): string | undefined {
  const v = h[a] ?? (b === undefined ? undefined : h[b]);
  const s = Array.isArray(v) ? v[0] : v;
  const t = s?.trim();
  // Whitespace-only counts as absent like '' (fuzzing found `cache-key: " "` became the custom
  // key '', one entry shared by every prompt and model that sent a blank key).
  return t === undefined || t === '' ? undefined : t;
}

function truthy(v: string | undefined): boolean {
  if (v === undefined) return false;
  const s = v.toLowerCase();
  return s === 'true' || s === '1' || s === 'yes';
}

function clamp(ms: number, cfg: RuntimeCacheConfig): number {
  return Math.min(cfg.maxTtlMs, Math.max(cfg.minTtlMs, ms));
}

function parseScope(v: string | undefined): CacheScope | undefined {
  const s = v?.toLowerCase();
  return s === 'global' || s === 'tenant' || s === 'user' ? s : undefined;
}

export function decideCache(h: IncomingHttpHeaders, operation: string | null, user: string | null, cfg: RuntimeCacheConfig): CacheDecision {
  const policy = operation === null ? undefined : cfg.operations.get(operation);
  const scope = parseScope(header(h, 'x-tollgate-cache-scope', 'cf-aig-cache-scope')) ?? policy?.scope ?? cfg.scope;
  const ttlText = header(h, 'x-tollgate-cache-ttl', 'cf-aig-cache-ttl');
  const ttlSeconds = ttlText !== undefined && /^\d{1,10}$/.test(ttlText) ? Number(ttlText) : undefined;
  const ttlMs = clamp(ttlSeconds !== undefined ? ttlSeconds * 1000 : policy?.cacheTtl !== undefined ? policy.cacheTtl * 1000 : cfg.defaultTtlMs, cfg);
  const custom = header(h, 'x-tollgate-cache-key', 'cf-aig-cache-key');
  let bypass: CacheDecision['bypass'];
  if (!cfg.enabled) bypass = 'disabled';
  else if (truthy(header(h, 'x-tollgate-skip-cache', 'cf-aig-skip-cache'))) bypass = 'skip';
  else if (policy?.cache === 'skip') bypass = 'operation';
  else if (scope === 'user' && user === null) bypass = 'no-user';
  return {
    bypass,
    refresh: truthy(header(h, 'x-tollgate-cache-refresh')),
    ttlMs,
    scope,
    customKey: custom !== undefined && custom.length <= 1024 ? custom : undefined,
    semantic: policy?.semantic === true,
  };
}
