/**
 * The most a request can cost before it is sent: its input tokens (estimated with the same
 * tokenizer metering uses) plus the largest output it may produce — the target's forced
 * `max_tokens`, else the client's `max_tokens` / `max_completion_tokens`, else
 * `budgets.defaultMaxOutputTokens` — priced at each candidate target, taking the dearest (a
 * fallback may serve it). Embeddings have no output. null when any candidate has no price:
 * a budget cannot be guarded against an unknown cost.
 */
import type { RequestContext } from '../pipeline/context.js';
import { estimateUsage } from '../metering/pricing/estimate.js';

function positiveInt(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

export function worstCaseMicros(ctx: RequestContext): number | null {
  const inputTokens = estimateUsage(ctx.operation, ctx.body, '').inputTokens;
  const fallbackOut = ctx.config.guards.defaultMaxOutputTokens;
  let worst = 0;
  for (const t of ctx.targets) {
    const outputTokens = ctx.operation === 'embeddings' ? 0
      : positiveInt(t.params?.max_tokens) ?? positiveInt(ctx.body.max_tokens) ?? positiveInt(ctx.body.max_completion_tokens) ?? fallbackOut;
    const quote = ctx.config.pricer.quote(t.provider.adapter.type, t.provider.name, t.model, { inputTokens, outputTokens }, ctx.receivedAt);
    if (quote.costMicros === null) return null;
    worst = Math.max(worst, quote.costMicros);
  }
  return worst;
}
