/**
 * Builds the one UsageEvent of a finished request from its context, field by field (an
 * allowlist: nothing is copied wholesale), masking the user id and metadata on the way. It
 * runs once per request, after the answer is complete, off the client's critical path.
 */
import { eventPayload } from '../privacy/payload-policy.js';
import type { RequestContext } from '../pipeline/context.js';
import { maskBounded, maskMetadata, maskUser } from '../privacy/mask.js';
import type { UsageEvent } from './usage-event.js';

function modelLabel(model: string): string | null {
  return model ? maskBounded(model, 256) : null;
}

/** The status the client saw: 499 when it left before the answer was complete. */
function clientStatus(ctx: RequestContext): number {
  if (ctx.error?.code === 'client_closed') return 499;
  if (ctx.status > 0) return ctx.status;
  return ctx.error?.status ?? 500;
}

export function buildUsageEvent(ctx: RequestContext, now = performance.now()): UsageEvent {
  const usage = ctx.usage;
  const target = ctx.target;
  return {
    requestId: ctx.id,
    time: ctx.receivedAt,
    tenant: ctx.tenant,
    keyId: ctx.keyId,
    user: ctx.labels.user === null ? null : maskUser(ctx.labels.user),
    operation: ctx.labels.operation,
    metadata: ctx.labels.metadata ? maskMetadata(ctx.labels.metadata) : null,
    endpoint: ctx.endpoint,
    provider: target?.provider.name ?? null,
    // Model names are client text (only the provider part is checked): bounded and masked.
    model: modelLabel(target?.model || ctx.requestedModel),
    routeAlias: ctx.routeAlias ?? null,
    status: clientStatus(ctx),
    errorCode: ctx.error?.code ?? null,
    cacheStatus: ctx.cacheStatus,
    attempts: ctx.attempts,
    fallbackIndex: ctx.fallbackIndex,
    latencyMs: Math.round((now - ctx.startedAt) * 1000) / 1000,
    ttftMs: ctx.firstByteAt === undefined ? null : Math.round((ctx.firstByteAt - ctx.startedAt) * 1000) / 1000,
    tokensIn: usage?.inputTokens ?? 0,
    tokensOut: usage?.outputTokens ?? 0,
    tokensCached: usage?.cachedInputTokens ?? 0,
    tokensCacheWrite: usage?.cacheWriteTokens ?? 0,
    neurons: ctx.neurons,
    costMicros: ctx.costMicros,
    savedMicros: ctx.savedMicros,
    stream: ctx.stream,
    partial: ctx.partial,
    estimated: ctx.estimated,
    collect: ctx.labels.collectLog,
    payload: eventPayload(ctx),
  };
}
