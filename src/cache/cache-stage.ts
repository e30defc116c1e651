/**
 * Stage "cache": looks the request up in the response cache before any upstream call. A hit
 * (or the stored answer of an identical request already in flight) is written to the client
 * here and marks the request answered, so the remaining stages are skipped. A miss leaves a
 * pending store on the context (cache-tap.ts stores the answer when it completes) and, for the
 * first of identical concurrent requests, leads a coalescing flight the others wait on.
 * Batch embeddings are looked up per input (embedding-items.ts); operations that opted in are
 * also looked up by prompt similarity after an exact miss (semantic-lookup.ts).
 *
 * Controls, scope and TTL: cache-controls.ts; keys: cache-key.ts; layers and the failure
 * policy (a store error is a miss): layered-cache.ts. This stage raises no errors.
 */
import type { RequestContext } from '../pipeline/context.js';
import { decideCache, type CacheDecision } from './cache-controls.js';
import type { CacheRuntime } from './cache-runtime.js';
import { cacheKey, modelKey } from './cache-key.js';
import { serveHit } from './cache-replay.js';
import type { HeldAnswer } from './cache-entry.js';
import type { CachePending } from './cache-tap.js';
import { itemizable, planItems, sendOnlyMisses, serveAllItems } from './embedding-items.js';
import { probeSemantic, semanticApplies, type SemanticProbe } from './semantic-lookup.js';

export function keyFor(ctx: RequestContext, d: CacheDecision): string {
  return cacheKey({
    scope: { kind: d.scope, tenant: ctx.tenant, user: d.scope === 'user' ? ctx.labels.user : null },
    endpoint: ctx.operation,
    model: modelKey(ctx.requestedModel, ctx.targets, ctx.routeAlias !== undefined),
    body: ctx.body,
    customKey: d.customKey,
  });
}

/** Ties a follower's wait to its client: leaving ends the wait. */
function abortHook(ctx: RequestContext) {
  return (stop: () => void): (() => void) => {
    if (ctx.abort.aborted) {
      queueMicrotask(stop);
      return () => undefined;
    }
    ctx.abort.once('abort', stop);
    return () => { ctx.abort.removeListener('abort', stop); };
  };
}

/**
 * A stored answer for `key`: memory, then the shared layer, then an identical request already
 * in flight. Each step that can be decided without waiting is (most misses are), so a miss
 * usually costs no promise at all.
 */
function findStored(ctx: RequestContext, rt: CacheRuntime, key: string): HeldAnswer | undefined | Promise<HeldAnswer | undefined> {
  const held = rt.cache.peek(key);
  if (held) return held;
  const inFlight = () => rt.coalescer.follow(key, ctx.config.cache.coalesceWaitMs, abortHook(ctx));
  return rt.cache.sharedLacks(key) ? inFlight() : rt.cache.lookup(key).then((found) => found ?? inFlight());
}

/**
 * Synchronous when the request bypasses the cache (the cache off, or the request opting out)
 * and on a plain miss decided without I/O (most misses): those pay no promise and no await
 * here. Only a shared-layer read, a wait for an identical request, a semantic probe or a batch
 * of embeddings makes it async.
 */
export function cacheLookup(ctx: RequestContext): void | Promise<void> {
  const rt = ctx.cacheRuntime;
  if (!rt) return;
  const d = decideCache(ctx.req.headers, ctx.labels.operation, ctx.labels.user, ctx.config.cache);
  if (d.bypass !== undefined) {
    ctx.cacheStatus = 'BYPASS';
    rt.cache.counters.bypass++;
    return;
  }
  if (itemizable(ctx, d)) return lookupItems(ctx, rt, d);
  const key = keyFor(ctx, d);
  if (d.refresh) return afterFind(ctx, rt, d, key, undefined);
  const found = findStored(ctx, rt, key);
  if (found instanceof Promise) return found.then((held) => afterFind(ctx, rt, d, key, held));
  return afterFind(ctx, rt, d, key, found);
}

async function lookupItems(ctx: RequestContext, rt: CacheRuntime, d: CacheDecision): Promise<void> {
  const counters = rt.cache.counters;
  const plan = await planItems(ctx, d);
  if (plan.missing.length === 0) {
    serveAllItems(ctx, plan);
    counters.hits++;
    return;
  }
  ctx.cacheStatus = 'MISS';
  counters.misses++;
  sendOnlyMisses(ctx, plan);
  ctx.cachePending = { key: '', ttlMs: d.ttlMs, settle: undefined, items: plan };
}

/** A stored answer (or none) was found: serve it, or lead the key's flight and record the miss. */
function afterFind(ctx: RequestContext, rt: CacheRuntime, d: CacheDecision, key: string, held: HeldAnswer | undefined): void | Promise<void> {
  if (held && !ctx.abort.aborted && serveHit(ctx, held)) {
    rt.cache.counters.hits++;
    return;
  }
  const settle = rt.coalescer.lead(key);
  // A leader that ends without a storable answer releases its followers (they call themselves).
  if (settle) ctx.res.once('close', () => settle(undefined));
  if (!d.refresh && semanticApplies(ctx, d)) return semanticLookup(ctx, rt, d, key, settle);
  miss(ctx, rt, d, key, settle, undefined);
}

async function semanticLookup(ctx: RequestContext, rt: CacheRuntime, d: CacheDecision, key: string, settle: CachePending['settle']): Promise<void> {
  const semantic = await probeSemantic(ctx, d);
  const hit = semantic?.hit;
  if (hit && !ctx.abort.aborted && serveHit(ctx, hit.held, { 'x-tollgate-cache-similarity': hit.similarity.toFixed(4) })) {
    rt.cache.counters.hits++;
    rt.cache.counters.semanticHits++;
    settle?.(hit.held);
    return;
  }
  miss(ctx, rt, d, key, settle, semantic);
}

function miss(ctx: RequestContext, rt: CacheRuntime, d: CacheDecision, key: string, settle: CachePending['settle'], semantic: SemanticProbe | undefined): void {
  ctx.cacheStatus = 'MISS';
  rt.cache.counters.misses++;
  ctx.cachePending = { key, ttlMs: d.ttlMs, settle, semantic };
}
