/**
 * Turns token usage into money: integer micro-USD, computed exactly. Every component (fresh
 * input, cache reads, cache writes, output) is multiplied out in BigInt as tokens × micro-USD per
 * 1M tokens, summed, and divided by 1M once, rounding half up; a request's cost is therefore off
 * by at most half a micro-dollar. A call costing less than that records 0, not null.
 *
 * Usage follows the gateway convention (providers/types.ts): inputTokens INCLUDES cached reads
 * and cache writes, so fresh input is what remains after removing both. That one rule prices
 * OpenAI (cached input at the cachedInput rate, the rest at the input rate) and Anthropic (cache
 * reads and writes at their own rates, the rest at the input rate) alike.
 *
 * Neuron-billed models are priced via neurons: tokens × neurons per 1M tokens, then × the neuron
 * price, again rounded once. A response-cache hit costs 0 and reports what it saved. Unknown
 * price → costMicros null (never 0). This module does no lookups; the caller passes the Price.
 */
import type { Usage } from '../../providers/types.js';
import { divideRoundHalfUp } from './micros.js';
import type { CustomCost } from './custom-cost.js';
import type { Price } from './price.js';

export interface CostOptions {
  /** Served from the gateway's response cache: nothing is billed upstream. */
  readonly cacheHit?: boolean;
  /** Caller-supplied price for this request; takes precedence over the catalogue price. */
  readonly custom?: CustomCost;
}

export interface CostResult {
  /** Integer micro-USD; null when no price is known. */
  readonly costMicros: number | null;
  /** What a cache hit would have cost upstream (0 otherwise, and 0 when that is unknown). */
  readonly savedMicros: number;
  /** Neurons consumed, for neuron-billed models (may be fractional). */
  readonly neurons?: number;
}

interface TokenSplit {
  readonly fresh: bigint;
  readonly cacheRead: bigint;
  readonly cacheWrite: bigint;
  readonly output: bigint;
}

const PER_MILLION = 1_000_000n;

/** Providers occasionally send junk; a count that is not a non-negative number is taken as 0. */
function count(n: number | undefined): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

function splitTokens(u: Usage): TokenSplit {
  const input = count(u.inputTokens);
  const cacheRead = count(u.cachedInputTokens);
  const cacheWrite = count(u.cacheWriteTokens);
  return {
    fresh: BigInt(Math.max(0, input - cacheRead - cacheWrite)),
    cacheRead: BigInt(cacheRead),
    cacheWrite: BigInt(cacheWrite),
    output: BigInt(count(u.outputTokens)),
  };
}

function priced(price: Price, t: TokenSplit): CostResult {
  const n = price.neurons;
  if (n) {
    // Neurons × 10^6, exact; the USD conversion divides by 10^6 (per-million) × 1000 (per-1000 price).
    const neuronsTimesMillion = (t.fresh + t.cacheWrite) * BigInt(n.input) + t.cacheRead * BigInt(n.cacheRead) + t.output * BigInt(n.output);
    return {
      costMicros: divideRoundHalfUp(neuronsTimesMillion * BigInt(n.microsPer1000), PER_MILLION * 1000n),
      savedMicros: 0,
      neurons: Number(neuronsTimesMillion) / 1_000_000,
    };
  }
  const total = t.fresh * BigInt(price.inputMicros) + t.cacheRead * BigInt(price.cacheReadMicros)
    + t.cacheWrite * BigInt(price.cacheWriteMicros) + t.output * BigInt(price.outputMicros);
  return { costMicros: divideRoundHalfUp(total, PER_MILLION), savedMicros: 0 };
}

/** A caller's price does not distinguish cached input: every input token is billed alike. */
function customCost(c: CustomCost, t: TokenSplit): CostResult {
  if (c.kind === 'total') return { costMicros: c.micros, savedMicros: 0 };
  const input = (t.fresh + t.cacheRead + t.cacheWrite) * BigInt(c.inputMicrosPerMillion);
  return { costMicros: divideRoundHalfUp(input + t.output * BigInt(c.outputMicrosPerMillion), PER_MILLION), savedMicros: 0 };
}

export function costOf(price: Price | undefined, usage: Usage, opts: CostOptions = {}): CostResult {
  const tokens = splitTokens(usage);
  const full = opts.custom ? customCost(opts.custom, tokens) : price ? priced(price, tokens) : undefined;
  if (opts.cacheHit) return { costMicros: 0, savedMicros: full?.costMicros ?? 0 };
  return full ?? { costMicros: null, savedMicros: 0 };
}
