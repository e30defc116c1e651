/**
 * Per-item embeddings cache. A batch embeddings request (`input` an array) is split per input:
 * each input has its own key (the request's other fields, the model and the scope, plus that
 * one input, in a key space of its own), cached inputs are served from the cache, and only the
 * misses go upstream, in one smaller batch. The answer is reassembled in the client's order;
 * its `usage` is what the upstream call reported, i.e. only what was paid for (zero when every
 * input was cached). Each new embedding is stored with a share of the batch's tokens and cost,
 * split by input length, so later hits record what they saved.
 *
 * Item requests are not coalesced, and a custom cache key turns itemizing off (the key then
 * names the whole request).
 */
import { GatewayError } from '../errors/gateway-error.js';
import { writeJson } from '../http/response-writer.js';
import type { RequestContext } from '../pipeline/context.js';
import { formatCostHeader } from '../pipeline/stages/respond.js';
import type { CachedAnswer, HeldAnswer } from './cache-entry.js';
import type { CacheDecision } from './cache-controls.js';
import { cacheKey, modelKey } from './cache-key.js';

export interface ItemPlan {
  readonly keys: readonly string[];
  readonly inputs: readonly unknown[];
  readonly hits: ReadonlyArray<HeldAnswer | undefined>;
  /** Client positions of the inputs sent upstream, in upstream order. */
  readonly missing: readonly number[];
}

export function itemizable(ctx: RequestContext, d: CacheDecision): boolean {
  return ctx.operation === 'embeddings' && Array.isArray(ctx.body.input) && ctx.body.input.length > 0 && d.customKey === undefined;
}

export async function planItems(ctx: RequestContext, d: CacheDecision): Promise<ItemPlan> {
  const cache = ctx.cacheRuntime!.cache;
  const inputs = ctx.body.input as unknown[];
  const { input: _all, ...rest } = ctx.body;
  const model = modelKey(ctx.requestedModel, ctx.targets, ctx.routeAlias !== undefined);
  const scope = { kind: d.scope, tenant: ctx.tenant, user: d.scope === 'user' ? ctx.labels.user : null };
  const keys = inputs.map((input) => cacheKey({ scope, endpoint: 'embeddings-item', model, body: { ...rest, input }, customKey: undefined }));
  const hits = d.refresh ? keys.map(() => undefined) : await Promise.all(keys.map((k) => cache.peek(k) ?? (cache.shared ? cache.lookup(k) : undefined)));
  const missing = hits.flatMap((h, i) => (h ? [] : [i]));
  return { keys, inputs, hits, missing };
}

function itemObject(held: HeldAnswer, index: number): string {
  // The stored body is the item object without its index; the index is the client's position.
  return `{"index":${index},${held.entry.body!.slice(1)}`;
}

function listBody(items: string[], model: string, usage: { prompt_tokens: number; total_tokens: number }): string {
  return `{"object":"list","data":[${items.join(',')}],"model":${JSON.stringify(model)},"usage":${JSON.stringify(usage)}}`;
}

/** Every input was cached: answers the request (a HIT costing nothing). */
export function serveAllItems(ctx: RequestContext, plan: ItemPlan): void {
  const held = plan.hits as HeldAnswer[];
  const first = held[0].entry;
  ctx.cacheStatus = 'HIT';
  ctx.answered = true;
  ctx.target = ctx.targets.find((t) => t.provider.name === first.provider && t.model === first.model);
  ctx.usage = { inputTokens: held.reduce((n, h) => n + (h.entry.usage?.inputTokens ?? 0), 0), outputTokens: 0 };
  ctx.costMicros = 0;
  ctx.savedMicros = held.reduce((n, h) => n + (h.entry.costMicros ?? 0), 0);
  ctx.status = 200;
  ctx.firstByteAt = performance.now();
  const body = listBody(held.map(itemObject), first.model, { prompt_tokens: 0, total_tokens: 0 });
  writeJson(ctx.res, 200, {
    'x-request-id': ctx.id, 'x-tollgate-cache-status': 'HIT', 'cf-aig-cache-status': 'HIT', 'x-tollgate-provider': first.provider,
    'x-tollgate-model': encodeURIComponent(first.model), 'x-tollgate-attempts': 0, 'x-tollgate-cost-usd': formatCostHeader(0),
    'x-tollgate-cache-items': `${held.length}/${held.length}`,
  }, body);
}

/** Narrows the upstream request to the inputs not cached and records what hits saved. */
export function sendOnlyMisses(ctx: RequestContext, plan: ItemPlan): void {
  ctx.body = { ...ctx.body, input: plan.missing.map((i) => plan.inputs[i]) };
  ctx.savedMicros = plan.hits.reduce((n, h) => n + (h?.entry.costMicros ?? 0), 0);
}

/** Integer shares of `total` proportional to `weights`, summing exactly to `total`. */
function shares(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0) || 1;
  const out = weights.map((w) => Math.floor((total * w) / sum));
  out[out.length - 1] += total - out.reduce((a, b) => a + b, 0);
  return out;
}

/** Reassembles the client's answer from hits and the upstream items; stores the new items. */
export function mergeItems(ctx: RequestContext, plan: ItemPlan, payload: string | Buffer, ttlMs: number, store: boolean): string {
  const answer = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8')) as { data?: Array<Record<string, unknown>>; model?: string; usage?: unknown };
  const data = answer.data;
  if (!Array.isArray(data) || data.length !== plan.missing.length) throw new GatewayError('upstream_bad_response', { detail: 'The provider answered a different number of embeddings than inputs.' });
  const byIndex = [...data].sort((a, b) => Number(a.index) - Number(b.index));
  const items: string[] = plan.hits.map((h, i) => (h ? itemObject(h, i) : ''));
  const weights = plan.missing.map((i) => Math.max(1, JSON.stringify(plan.inputs[i]).length));
  const tokens = shares(ctx.usage?.inputTokens ?? 0, weights);
  const costs = ctx.costMicros === null ? undefined : shares(ctx.costMicros, weights);
  const now = ctx.cacheRuntime!.now();
  plan.missing.forEach((clientIndex, k) => {
    const { index: _drop, ...item } = byIndex[k];
    const text = JSON.stringify(item);
    items[clientIndex] = `{"index":${clientIndex},${text.slice(1)}`;
    if (!store || !ctx.target) return;
    const entry: CachedAnswer = {
      v: 1, kind: 'json', body: text, usage: { inputTokens: tokens[k], outputTokens: 0 }, provider: ctx.target.provider.name, model: ctx.target.model,
      costMicros: costs ? costs[k] : null, createdAt: now, expiresAt: now + ttlMs,
    };
    ctx.cacheRuntime!.cache.store(plan.keys[clientIndex], entry);
  });
  return listBody(items, typeof answer.model === 'string' ? answer.model : ctx.target?.model ?? '', (answer.usage ?? { prompt_tokens: 0, total_tokens: 0 }) as { prompt_tokens: number; total_tokens: number });
}
