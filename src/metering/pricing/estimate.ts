/**
 * Token estimates for when a provider sends no usage (some streams, cut-off streams, servers
 * that omit it). Counts use a real BPE tokenizer (gpt-tokenizer, o200k_base) for every model:
 * exact for recent OpenAI models, a close estimate for others. Results feed a UsageEvent marked
 * `estimated: true`; they are never presented as the provider's own numbers.
 *
 * Work is capped so a huge or hostile input cannot stall the event loop: at most SAMPLE_CHARS
 * characters are tokenized, in pieces of at most PIECE_CHARS (BPE is quadratic on one long run
 * without spaces), and the count for the rest is extrapolated at the sample's tokens-per-char
 * rate. Special-token text such as "<|endoftext|>" is counted as plain text, not rejected.
 */
import type { Operation, Usage } from '../../providers/types.js';
import { loadTokenizer, type LoadedTokenizer } from './token-ranks.js';

/**
 * The o200k tables take tens of MiB and a few hundred ms to build, and most gateways never need
 * them (providers report usage), so they load on the first estimate, not at start.
 */
let loaded: LoadedTokenizer | undefined;
const tokenizer = (): LoadedTokenizer['encoding'] => (loaded ??= loadTokenizer()).encoding;

/** Where the loaded rank table came from; undefined until the first estimate. */
export function tokenizerSource(): LoadedTokenizer['source'] | undefined {
  return loaded?.source;
}

export const SAMPLE_CHARS = 32_768;
const PIECE_CHARS = 512;
const ENCODE_OPTIONS = { disallowedSpecial: new Set<string>() };

/** Chat framing per OpenAI's published counting rule: per message, per name, and reply priming. */
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING = 3;
/** Images are billed by size and detail, which the body alone does not settle; a low-detail tile. */
const TOKENS_PER_IMAGE = 85;

/** Cuts before `end`, preferring just after whitespace, never inside a surrogate pair. */
function pieceEnd(text: string, start: number, end: number): number {
  if (end >= text.length) return text.length;
  for (let i = end; i > start + PIECE_CHARS / 2; i--) {
    const c = text.charCodeAt(i - 1);
    if (c === 32 || c === 10 || c === 9 || c === 13) return i;
  }
  const c = text.charCodeAt(end - 1);
  return c >= 0xd800 && c <= 0xdbff ? end - 1 : end;
}

function countSample(sample: string): number {
  let tokens = 0;
  for (let start = 0; start < sample.length;) {
    const end = pieceEnd(sample, start, start + PIECE_CHARS);
    tokens += tokenizer().countTokens(sample.slice(start, end), ENCODE_OPTIONS);
    start = end;
  }
  return tokens;
}

export function estimateTokens(text: string): number {
  if (text.length === 0) return 0;
  if (text.length <= SAMPLE_CHARS) return countSample(text);
  const end = pieceEnd(text, 0, SAMPLE_CHARS);
  const sampled = countSample(text.slice(0, end));
  return Math.round((sampled * text.length) / end);
}

export function estimateOutputTokens(text: string): number {
  return estimateTokens(text);
}

function contentTokens(content: unknown): number {
  if (typeof content === 'string') return estimateTokens(content);
  if (!Array.isArray(content)) return 0;
  let tokens = 0;
  for (const part of content) {
    if (part === null || typeof part !== 'object') continue;
    const p = part as Record<string, unknown>;
    if (typeof p.text === 'string') tokens += estimateTokens(p.text);
    else if (p.type === 'image_url' || p.type === 'input_image' || p.type === 'image') tokens += TOKENS_PER_IMAGE;
  }
  return tokens;
}

/** Serialized structures (tool definitions, tool calls) are counted as their JSON text. */
function jsonTokens(value: unknown): number {
  if (value === undefined || value === null) return 0;
  try {
    return estimateTokens(JSON.stringify(value) ?? '');
  } catch {
    return 0;
  }
}

export function estimateChatInputTokens(body: Readonly<Record<string, unknown>>): number {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  let tokens = REPLY_PRIMING;
  for (const m of messages) {
    if (m === null || typeof m !== 'object') continue;
    const msg = m as Record<string, unknown>;
    tokens += TOKENS_PER_MESSAGE + contentTokens(msg.content) + jsonTokens(msg.tool_calls);
    if (typeof msg.role === 'string') tokens += estimateTokens(msg.role);
    if (typeof msg.name === 'string') tokens += TOKENS_PER_NAME + estimateTokens(msg.name);
  }
  return tokens + jsonTokens(body.tools) + jsonTokens(body.functions);
}

/**
 * Completions `prompt` and embeddings `input`: a string, a list of strings, or pre-tokenized
 * ids (a list of numbers, or a list of such lists), whose length is the count.
 */
export function estimatePromptTokens(prompt: unknown): number {
  if (typeof prompt === 'string') return estimateTokens(prompt);
  if (!Array.isArray(prompt)) return 0;
  let tokens = 0;
  for (const item of prompt) {
    if (typeof item === 'string') tokens += estimateTokens(item);
    else if (typeof item === 'number') tokens += 1;
    else if (Array.isArray(item)) tokens += item.length;
  }
  return tokens;
}

/** Usage for a request the provider did not report on; `outputText` is what was actually produced. */
export function estimateUsage(operation: Operation, body: Readonly<Record<string, unknown>>, outputText: string): Usage {
  const inputTokens = operation === 'chat' ? estimateChatInputTokens(body)
    : estimatePromptTokens(operation === 'embeddings' ? body.input : body.prompt);
  return { inputTokens, outputTokens: operation === 'embeddings' ? 0 : estimateOutputTokens(outputText) };
}
