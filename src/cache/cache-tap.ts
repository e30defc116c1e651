/**
 * The store side of the cache, called by the upstream stage when it has delivered a complete
 * answer (respond.ts for JSON, right after writing it; relay-stream.ts for streams). Only complete, successful answers
 * are stored: no error, not partial, status 200, and not cut by `finish_reason: length` unless
 * `cache.cacheLengthTruncated` allows it. Malformed, 4xx/5xx, truncated and aborted answers
 * never reach this point (the stage throws first), and the checks here repeat that defensively.
 *
 * Storing settles the leader's coalescing flight, so waiting followers are answered at once.
 */
import { clientWantsUsage } from '../providers/openai-shared/request-body.js';
import { settleUsage } from '../metering/settle-usage.js';
import type { RequestContext } from '../pipeline/context.js';
import type { CachedAnswer, HeldAnswer } from './cache-entry.js';
import { mergeItems, type ItemPlan } from './embedding-items.js';
import type { SemanticProbe } from './semantic-lookup.js';

export interface CachePending {
  readonly key: string;
  readonly ttlMs: number;
  /** Settles this request's coalescing flight, when it leads one. */
  readonly settle: ((answer: HeldAnswer | undefined) => void) | undefined;
  /** A batch embeddings request split per input (embedding-items.ts). */
  readonly items?: ItemPlan;
  /** The prompt's vector, indexed once the answer is stored (semantic cache). */
  readonly semantic?: SemanticProbe;
}

const LENGTH_CUT = '"finish_reason":"length"';

function storable(ctx: RequestContext, texts: readonly string[]): boolean {
  if (ctx.error !== undefined || ctx.partial || ctx.status !== 200 || !ctx.target) return false;
  if (ctx.config.cache.cacheLengthTruncated) return true;
  return ctx.finishReason !== 'length' && !texts.some((t) => t.includes(LENGTH_CUT));
}

function finish(ctx: RequestContext, pending: CachePending, entry: CachedAnswer | undefined): void {
  ctx.cachePending = undefined;
  const held = entry && ctx.cacheRuntime ? ctx.cacheRuntime.cache.store(pending.key, entry) : undefined;
  if (held && pending.semantic) ctx.cacheRuntime!.semantic.add(pending.semantic.partition, pending.semantic.vector, pending.key, held.entry.expiresAt);
  pending.settle?.(held);
}

/**
 * Every entry has the same keys in the same order (the unused ones undefined, which
 * JSON.stringify leaves out): one object shape for V8, where spreading a base object and
 * adding keys took its slow property-definition path on every store.
 */
function entryOf(ctx: RequestContext, pending: CachePending, kind: CachedAnswer['kind'], body: string | undefined, payloads: string[] | undefined, usageChunk: boolean | undefined): CachedAnswer {
  const createdAt = ctx.cacheRuntime?.now() ?? Date.now();
  return {
    v: 1,
    kind,
    body,
    payloads,
    usageChunk,
    usage: ctx.usage ?? null,
    provider: ctx.target!.provider.name,
    model: ctx.target!.model,
    costMicros: ctx.costMicros,
    createdAt,
    expiresAt: createdAt + pending.ttlMs,
  };
}

/**
 * A non-streamed answer is about to be written; `body` is exactly what the client will get.
 * Returns the body to write: the same, or for a split embeddings batch the reassembled answer
 * (stored per item here). Any other answer is stored by storeJsonAnswer once it is written.
 */
export function tapJsonAnswer(ctx: RequestContext, body: string | Buffer): string | Buffer {
  const pending = ctx.cachePending;
  if (!pending?.items) return body;
  ctx.cachePending = undefined;
  return mergeItems(ctx, pending.items, body, pending.ttlMs, storable(ctx, []));
}

/**
 * A non-streamed answer was written to the client: stores it. Called after the write, so the
 * encoding and the queued shared write never delay the answer.
 */
export function storeJsonAnswer(ctx: RequestContext, body: string | Buffer): void {
  const pending = ctx.cachePending;
  if (!pending) return;
  const text = typeof body === 'string' ? body : body.toString('utf8');
  finish(ctx, pending, storable(ctx, [text]) ? entryOf(ctx, pending, 'json', text, undefined, undefined) : undefined);
}

/** A stream ended with the provider's terminal event; its payloads are `ctx.delivered`. */
export function tapStreamAnswer(ctx: RequestContext): void {
  const pending = ctx.cachePending;
  if (!pending) return;
  if (!storable(ctx, ctx.delivered)) return finish(ctx, pending, undefined);
  // Streams are settled at finish normally; settling now records the cost a hit saves.
  settleUsage(ctx, ctx.config.pricer);
  finish(ctx, pending, entryOf(ctx, pending, 'stream', undefined, [...ctx.delivered], clientWantsUsage(ctx.body)));
}
