/**
 * Token accounting for Messages API answers. The provider reports fresh input, cache reads and
 * cache writes as three separate counts; OpenAI clients and the gateway's meter both expect
 * `prompt tokens` to include all three, with the cached part called out. This module holds
 * that arithmetic in one place for whole responses and streams alike.
 */
import type { Usage } from '../types.js';
import { countOf, isObject, type JsonObject } from './wire-json.js';

export interface TokenCounts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export const NO_TOKENS: Readonly<TokenCounts> = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0 });

/**
 * Returns `base` updated with whichever counts `raw` carries. Streams report input counts at
 * the start and cumulative output counts later, so absent fields must keep their old value.
 */
export function mergeTokenCounts(base: Readonly<TokenCounts>, raw: unknown): TokenCounts {
  const next = { ...base };
  if (!isObject(raw)) return next;
  next.input = countOf(raw.input_tokens) ?? next.input;
  next.output = countOf(raw.output_tokens) ?? next.output;
  next.cacheRead = countOf(raw.cache_read_input_tokens) ?? next.cacheRead;
  next.cacheWrite = countOf(raw.cache_creation_input_tokens) ?? next.cacheWrite;
  return next;
}

function promptTokens(c: Readonly<TokenCounts>): number {
  return c.input + c.cacheRead + c.cacheWrite;
}

export function gatewayUsage(c: Readonly<TokenCounts>): Usage {
  const usage: Usage = { inputTokens: promptTokens(c), outputTokens: c.output };
  if (c.cacheRead > 0) usage.cachedInputTokens = c.cacheRead;
  if (c.cacheWrite > 0) usage.cacheWriteTokens = c.cacheWrite;
  return usage;
}

export function openAIUsage(c: Readonly<TokenCounts>): JsonObject {
  const prompt = promptTokens(c);
  return {
    prompt_tokens: prompt,
    completion_tokens: c.output,
    total_tokens: prompt + c.output,
    prompt_tokens_details: { cached_tokens: c.cacheRead },
  };
}
