/**
 * Reads OpenAI-format usage objects (chat, completions, embeddings) into gateway Usage.
 * Shared by every adapter whose provider speaks the OpenAI wire format.
 */
import type { Usage } from '../types.js';

function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0;
}

export function usageFromOpenAI(raw: unknown): Usage | undefined {
  if (raw === null || typeof raw !== 'object') return undefined;
  const u = raw as Record<string, unknown>;
  const details = u.prompt_tokens_details as Record<string, unknown> | undefined;
  const usage: Usage = { inputTokens: int(u.prompt_tokens), outputTokens: int(u.completion_tokens) };
  const cached = details && typeof details === 'object' ? int(details.cached_tokens) : 0;
  if (cached > 0) usage.cachedInputTokens = cached;
  return usage;
}
