/**
 * The semantic cache lookup (opt-in per operation): the prompt's text is embedded through the
 * configured embeddings model (`cache.semantic.route`, any provider that serves embeddings),
 * and the in-process index is asked for a stored answer to a similar prompt within the same
 * partition — same scope, endpoint, model and every other request field. A hit must clear
 * `cache.semantic.threshold` (cosine similarity).
 *
 * Everything here fails soft: no route, a prompt with non-text parts, a slow or failing
 * embedding call (bounded by `cache.semantic.timeoutMs`) all mean "no semantic lookup". The
 * embedding call is made on semantic misses and hits alike and is paid for by the request: its
 * priced usage is added to the request's cost at finish (unknown price → the cost is unknown).
 */
import { resolveModel } from '../pipeline/stages/resolve-target.js';
import type { RequestContext, ResolvedTarget } from '../pipeline/context.js';
import type { UpstreamCall } from '../upstream/upstream-client.js';
import { fetchWhole } from '../upstream/whole-response.js';
import type { BuildInput, Usage } from '../providers/types.js';
import type { CacheDecision } from './cache-controls.js';
import type { HeldAnswer } from './cache-entry.js';
import { cacheKey, modelKey } from './cache-key.js';
import { normalise } from './semantic-index.js';

export interface SemanticProbe {
  readonly partition: string;
  readonly vector: Float32Array;
  readonly hit?: { held: HeldAnswer; similarity: number };
}

const MAX_EMBEDDING_BYTES = 8 * 1024 * 1024;
/** A refused embedding call is a miss; its error body is read only to free the connection. */
const MAX_ERROR_BYTES = 64 * 1024;

function partText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) return undefined;
  let text = '';
  for (const part of content as Array<{ type?: unknown; text?: unknown }>) {
    if (part?.type !== 'text' || typeof part.text !== 'string') return undefined; // images, audio: not comparable as text
    text += part.text;
  }
  return text;
}

/** The text that is embedded: roles and contents (whitespace runs collapsed), or the prompt. */
export function promptText(operation: string, body: Record<string, unknown>): string | undefined {
  let text: string;
  if (operation === 'chat' && Array.isArray(body.messages)) {
    const lines: string[] = [];
    for (const m of body.messages as Array<{ role?: unknown; content?: unknown }>) {
      const t = partText(m?.content);
      if (t === undefined) return undefined;
      lines.push(`${String(m.role)}: ${t}`);
    }
    text = lines.join('\n');
  } else if (operation === 'completions' && typeof body.prompt === 'string') {
    text = body.prompt;
  } else {
    return undefined;
  }
  text = text.replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text : undefined;
}

/** Same scope, endpoint, model and every field but the prompt itself. */
export function semanticPartition(ctx: RequestContext, d: CacheDecision): string {
  const { messages: _m, prompt: _p, ...rest } = ctx.body;
  return cacheKey({
    scope: { kind: d.scope, tenant: ctx.tenant, user: d.scope === 'user' ? ctx.labels.user : null },
    endpoint: `semantic:${ctx.operation}`,
    model: modelKey(ctx.requestedModel, ctx.targets, ctx.routeAlias !== undefined),
    body: rest,
    customKey: undefined,
  });
}

/** The embedding call is paid for by the request that needed it (added to its cost at finish). */
function billEmbedding(ctx: RequestContext, target: ResolvedTarget, usage: Usage | undefined): void {
  const micros = usage ? ctx.config.pricer.quote(target.provider.adapter.type, target.provider.name, target.model, usage, Date.now()).costMicros : null;
  ctx.auxCostMicros = ctx.auxCostMicros === null || micros === null ? null : ctx.auxCostMicros + micros;
}

async function embed(ctx: RequestContext, text: string): Promise<Float32Array | undefined> {
  const cfg = ctx.config.cache.semantic;
  const target = resolveModel(ctx.config, cfg.route!, 'embeddings').targets[0];
  const input: BuildInput = { operation: 'embeddings', model: target.model, body: { model: cfg.route, input: text }, stream: false, credential: ctx.credential };
  const wire = target.provider.adapter.buildRequest(target.provider.settings, input);
  const t = cfg.timeoutMs;
  const call: UpstreamCall = { abort: ctx.abort, timeouts: { connectMs: Math.min(ctx.call.timeouts.connectMs, t), firstByteMs: t, idleMs: t }, addressPolicy: ctx.call.addressPolicy };
  const res = await fetchWhole(wire, call, { okBytes: MAX_EMBEDDING_BYTES, errorBytes: MAX_ERROR_BYTES });
  if (res.statusCode < 200 || res.statusCode >= 300) return undefined;
  const json = JSON.parse(res.body.toString('utf8')) as unknown;
  const out = target.provider.adapter.translateResponse(input, json, { operation: 'embeddings', model: target.model, clientWantsUsage: false, requestId: ctx.id, created: 0 });
  billEmbedding(ctx, target, out.usage);
  const first = ((out.body ?? json) as { data?: Array<{ embedding?: unknown }> }).data?.[0]?.embedding;
  return Array.isArray(first) && first.every((v) => typeof v === 'number') ? normalise(first as number[]) : undefined;
}

export function semanticApplies(ctx: RequestContext, d: CacheDecision): boolean {
  return d.semantic && d.customKey === undefined && ctx.config.cache.semantic.route !== undefined && (ctx.operation === 'chat' || ctx.operation === 'completions');
}

export async function probeSemantic(ctx: RequestContext, d: CacheDecision): Promise<SemanticProbe | undefined> {
  const rt = ctx.cacheRuntime!;
  const text = promptText(ctx.operation, ctx.body);
  if (text === undefined) return undefined;
  let vector: Float32Array | undefined;
  try {
    vector = await embed(ctx, text);
  } catch {
    rt.cache.counters.readErrors++;
    return undefined;
  }
  if (!vector) return undefined;
  const partition = semanticPartition(ctx, d);
  const found = rt.semantic.best(partition, vector, ctx.config.cache.semantic.threshold, rt.now());
  if (!found) return { partition, vector };
  const held = rt.cache.peek(found.key) ?? (rt.cache.shared ? await rt.cache.lookup(found.key) : undefined);
  if (!held) {
    rt.semantic.forget(partition, found.key);
    return { partition, vector };
  }
  return { partition, vector, hit: { held, similarity: found.similarity } };
}
