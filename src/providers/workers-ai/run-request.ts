/**
 * Builds the JSON body for Workers AI's native `ai/run/{model}` endpoint from the client's
 * OpenAI-shaped body. Only fields the run API understands are copied; other OpenAI fields
 * (stop, logit_bias, user, …) are dropped because the run API rejects or ignores them.
 * Requests it cannot express faithfully (several choices, non-text content parts, token-array
 * prompts) are refused with `invalid_request` instead of being quietly degraded.
 * Pure: the client body is never mutated.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput } from '../types.js';

const SAMPLING_FIELDS = [
  'temperature', 'top_p', 'top_k', 'seed', 'frequency_penalty', 'presence_penalty', 'repetition_penalty',
] as const;
const CHAT_FIELDS = ['tools', 'response_format'] as const;

function invalid(detail: string, param: string): GatewayError {
  return new GatewayError('invalid_request', { detail, param });
}

function copyDefined(from: Record<string, unknown>, to: Record<string, unknown>, keys: readonly string[]): void {
  for (const key of keys) if (from[key] !== undefined && from[key] !== null) to[key] = from[key];
}

/** Sampling, length and stream fields shared by chat and completions. */
function generationFields(input: BuildInput): Record<string, unknown> {
  const body = input.body;
  if (typeof body.n === 'number' && body.n > 1) throw invalid('Workers AI returns a single choice; n must be 1.', 'n');
  const out: Record<string, unknown> = {};
  copyDefined(body, out, SAMPLING_FIELDS);
  const maxTokens = body.max_tokens ?? body.max_completion_tokens;
  if (typeof maxTokens === 'number') out.max_tokens = maxTokens;
  if (input.stream) out.stream = true;
  return out;
}

/** Flattens OpenAI content parts to the plain string the run API takes. */
function contentText(content: unknown, index: number): string {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) throw invalid('Message content must be a string or an array of parts.', `messages[${index}].content`);
  return content.map((part: unknown) => {
    const p = part as Record<string, unknown> | null;
    if (p && p.type === 'text' && typeof p.text === 'string') return p.text;
    throw invalid('Workers AI run mode accepts only text content parts.', `messages[${index}].content`);
  }).join('\n');
}

function runMessages(raw: unknown): Record<string, unknown>[] {
  if (!Array.isArray(raw)) throw invalid('messages must be an array.', 'messages');
  return raw.map((m: unknown, i) => {
    if (m === null || typeof m !== 'object') throw invalid('Each message must be an object.', `messages[${i}]`);
    const message = m as Record<string, unknown>;
    return { ...message, content: contentText(message.content, i) };
  });
}

function chatBody(input: BuildInput): Record<string, unknown> {
  const out: Record<string, unknown> = { messages: runMessages(input.body.messages), ...generationFields(input) };
  copyDefined(input.body, out, CHAT_FIELDS);
  return out;
}

function completionBody(input: BuildInput): Record<string, unknown> {
  const raw = input.body.prompt;
  const single = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof single !== 'string') throw invalid('Workers AI takes a single text prompt.', 'prompt');
  return { prompt: single, ...generationFields(input) };
}

function embeddingTexts(raw: unknown): string[] {
  if (typeof raw === 'string') return [raw];
  if (Array.isArray(raw) && raw.length > 0 && raw.every((t) => typeof t === 'string')) return raw as string[];
  throw invalid('Workers AI embeds text: input must be a string or an array of strings.', 'input');
}

export function runRequestBody(input: BuildInput): string {
  switch (input.operation) {
    case 'chat':
      return JSON.stringify(chatBody(input));
    case 'completions':
      return JSON.stringify(completionBody(input));
    case 'embeddings':
      return JSON.stringify({ text: embeddingTexts(input.body.input) });
  }
}
