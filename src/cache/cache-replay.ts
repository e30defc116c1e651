/**
 * Answers a request from a cached entry: in the shape the client asked for (the stored bytes
 * straight out when the shape matches, converted otherwise), with the cache and provider/model
 * headers of the stored answer, and with the accounting of a hit: cost 0, the stored cost
 * recorded as saved, the stored usage reported. Returns false (the caller goes upstream) when
 * an entry cannot be served in the asked shape.
 */
import { logsPayload } from '../privacy/payload-policy.js';
import type { HeaderMap } from '../http/response-writer.js';
import { SSE_DONE, sseData, writeJson } from '../http/response-writer.js';
import { clientWantsUsage } from '../providers/openai-shared/request-body.js';
import type { RequestContext } from '../pipeline/context.js';
import { formatCostHeader } from '../pipeline/stages/respond.js';
import { ownBytes, type HeldAnswer } from './cache-entry.js';
import { chunksToCompletion, completionToChunks, matchUsageChunk } from './shape-convert.js';

const PRINTABLE = /^[\x21-\x7e]+$/;

function hitHeaders(ctx: RequestContext, held: HeldAnswer): HeaderMap {
  const e = held.entry;
  return {
    'x-request-id': ctx.id,
    'x-tollgate-cache-status': 'HIT',
    'cf-aig-cache-status': 'HIT',
    'x-tollgate-provider': e.provider,
    'x-tollgate-model': PRINTABLE.test(e.model) ? e.model : encodeURIComponent(e.model),
    'x-tollgate-attempts': 0,
  };
}

/** The SSE text for a streaming client, or undefined when the entry cannot be streamed. */
function streamBody(ctx: RequestContext, held: HeldAnswer): Buffer | string | undefined {
  const e = held.entry;
  const wants = clientWantsUsage(ctx.body);
  let payloads: readonly string[] | undefined;
  if (e.kind === 'stream') {
    if ((e.usageChunk === true) === wants) return ownBytes(held);
    payloads = matchUsageChunk(e.payloads!, e.usageChunk === true, wants, e.usage);
  } else {
    if (ctx.operation === 'embeddings') return undefined;
    payloads = completionToChunks(e.body!, ctx.operation === 'chat', e.usage, wants);
  }
  return payloads === undefined ? undefined : `${payloads.map(sseData).join('')}${SSE_DONE}`;
}

function jsonBody(ctx: RequestContext, held: HeldAnswer): Buffer | string {
  const e = held.entry;
  return e.kind === 'json' ? ownBytes(held) : chunksToCompletion(e.payloads!, ctx.operation === 'chat', e.usage);
}

export function serveHit(ctx: RequestContext, held: HeldAnswer, extra?: HeaderMap): boolean {
  const e = held.entry;
  const body = ctx.stream ? streamBody(ctx, held) : jsonBody(ctx, held);
  if (body === undefined) return false;
  if (logsPayload(ctx)) ctx.responseText = typeof body === 'string' ? body : body.toString('utf8');
  ctx.cacheStatus = 'HIT';
  ctx.answered = true;
  ctx.target = ctx.targets.find((t) => t.provider.name === e.provider && t.model === e.model);
  ctx.usage = e.usage ?? undefined;
  ctx.costMicros = 0;
  ctx.savedMicros = e.costMicros ?? 0;
  ctx.status = 200;
  ctx.firstByteAt = performance.now();
  // hitHeaders builds a fresh map: add to it rather than spreading it into another one.
  const headers = hitHeaders(ctx, held);
  if (extra) Object.assign(headers, extra);
  if (ctx.stream) {
    if (ctx.res.headersSent || ctx.res.destroyed) return true;
    headers['content-type'] = 'text/event-stream; charset=utf-8';
    headers['cache-control'] = 'no-cache';
    headers['x-accel-buffering'] = 'no';
    ctx.res.writeHead(200, headers);
    ctx.res.end(body);
    return true;
  }
  if (e.usage) {
    headers['x-tollgate-tokens-in'] = e.usage.inputTokens;
    headers['x-tollgate-tokens-out'] = e.usage.outputTokens;
  }
  // A semantic hit still paid for its embedding call; an exact hit costs nothing.
  if (ctx.auxCostMicros !== null) headers['x-tollgate-cost-usd'] = formatCostHeader(ctx.auxCostMicros);
  writeJson(ctx.res, 200, headers, body);
  return true;
}
