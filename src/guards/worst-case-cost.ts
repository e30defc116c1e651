/**
 * The most a request can cost before it is sent: its input tokens (a fast estimate that errs
 * high, input-bound.ts) plus the largest output it may produce — the target's forced
 * `max_tokens`, else the client's `max_tokens` / `max_completion_tokens`, else
 * `budgets.defaultMaxOutputTokens` — priced at each candidate target, taking the dearest (a
 * fallback may serve it). Embeddings have no output. null when any candidate has no price:
 * a budget cannot be guarded against an unknown cost.
 */
import type { RequestContext } from '../pipeline/context.js';
import { inputTokenBound } from './input-bound.js';

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

function maxOutput(ctx: RequestContext, params: Readonly<Record<string, unknown>> | undefined): number {
  if (ctx.operation === 'embeddings') return 0;
  return positiveInt(params?.max_tokens) ?? positiveInt(ctx.body.max_tokens) ?? positiveInt(ctx.body.max_completion_tokens) ?? ctx.config.guards.defaultMaxOutputTokens;
}

/** Most input + output tokens the request may use, over its candidate targets. */
export function worstCaseTokens(ctx: RequestContext): number {
  // A loop, not Math.max(...spread): a spread call takes V8's slow path on every request.
  let output = 0;
  for (const t of ctx.targets) output = Math.max(output, maxOutput(ctx, t.params));
  return inputTokenBound(ctx.operation, ctx.body) + output;
}

export function worstCaseMicros(ctx: RequestContext): number | null {
  const inputTokens = inputTokenBound(ctx.operation, ctx.body);
  let worst = 0;
  for (const t of ctx.targets) {
    const outputTokens = maxOutput(ctx, t.params);
    const quote = ctx.config.pricer.quote(t.provider.adapter.type, t.provider.name, t.model, { inputTokens, outputTokens }, ctx.receivedAt);
    if (quote.costMicros === null) return null;
    worst = Math.max(worst, quote.costMicros);
  }
  return worst;
}
