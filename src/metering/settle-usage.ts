/**
 * Settles what a finished request used and cost. Provider-reported usage wins; where it is
 * missing (servers that omit it, streams cut before their usage chunk, client aborts) the
 * tokens are estimated with a real tokenizer from the request and from what was actually
 * delivered, and the event is marked `estimated`. A request that reached no provider, or that
 * a provider refused before producing anything, costs zero. An unknown price stays unknown
 * (null), never zero. A valid custom-cost header replaces the catalogue price.
 */
import type { RequestContext } from '../pipeline/context.js';
import type { Usage } from '../providers/types.js';
import { costOf } from './pricing/cost.js';
import { parseCustomCost } from './pricing/custom-cost.js';
import { estimateUsage } from './pricing/estimate.js';
import type { Pricer } from './pricer.js';

/** Concatenated assistant text of OpenAI-shaped chunks or completion objects. */
export function deliveredText(payloads: readonly string[]): string {
  let text = '';
  for (const p of payloads) {
    try {
      const chunk = JSON.parse(p) as { choices?: Array<{ delta?: { content?: unknown }; text?: unknown }> };
      const c = chunk.choices?.[0];
      const piece = c?.delta?.content ?? c?.text;
      if (typeof piece === 'string') text += piece;
    } catch {
      // A payload that is not JSON carries no billable text we can read.
    }
  }
  return text;
}

function resolveUsage(ctx: RequestContext, outputText: string | undefined): Usage | undefined {
  const reported = ctx.usage;
  const complete = ctx.error === undefined || (!ctx.partial && ctx.status === 200);
  if (reported && complete) return reported;
  const text = outputText ?? deliveredText(ctx.delivered);
  // Nothing was produced: nothing to bill. A successful call is billed even with no text
  // (embeddings, tool-call-only answers): the provider charged for its input.
  if (!reported && text.length === 0 && ctx.status !== 200) return undefined;
  const estimate = estimateUsage(ctx.operation, ctx.body, text);
  ctx.estimated = true;
  if (!reported) return estimate;
  return { ...reported, inputTokens: reported.inputTokens || estimate.inputTokens, outputTokens: Math.max(reported.outputTokens, estimate.outputTokens) };
}

/**
 * Adds the cost of the gateway's own calls for this request (auxCostMicros) to its cost; an
 * unknown part makes the total unknown, never silently lower.
 */
export function addAuxiliaryCost(ctx: RequestContext): void {
  if (ctx.auxCostMicros === 0) return;
  ctx.costMicros = ctx.costMicros === null || ctx.auxCostMicros === null ? null : ctx.costMicros + ctx.auxCostMicros;
}

/** Fills usage, cost and neurons on the context. `outputText` is the non-streamed answer's text. */
export function settleUsage(ctx: RequestContext, pricer: Pricer, outputText?: string): void {
  const target = ctx.target;
  if (!target || ctx.costMicros !== null) return;
  const usage = resolveUsage(ctx, outputText);
  if (!usage) {
    ctx.costMicros = 0;
    return;
  }
  ctx.usage = usage;
  const custom = ctx.labels.customCost ? parseCustomCost(ctx.labels.customCost) : undefined;
  if (custom) {
    // Same exact integer arithmetic as catalogue prices (costOf), never floats.
    ctx.costMicros = costOf(undefined, usage, { custom }).costMicros;
    return;
  }
  const quote = pricer.quote(target.provider.adapter.type, target.provider.name, target.model, usage, ctx.receivedAt);
  ctx.costMicros = quote.costMicros;
  ctx.neurons = quote.neurons;
}
