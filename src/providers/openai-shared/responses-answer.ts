/**
 * Reads usage from Responses API answers on native pass-through. A JSON answer is a `response`
 * object whose `usage` has `input_tokens`, `output_tokens` (reasoning included) and
 * `input_tokens_details.cached_tokens`. A stream is typed events; the terminal one,
 * `response.completed` (or `response.incomplete` / `response.failed`), carries the final
 * response with its usage. Text deltas are turned into OpenAI chat-chunk payloads only so a
 * stream cut before its terminal event can be estimated from what it produced.
 *
 * It translates nothing for a client (the client gets the provider's own bytes) and never
 * throws: an event it cannot read is skipped, leaving the estimate to settle the cost.
 */
import type { SseEvent } from '../../upstream/sse-parser.js';
import type { NativeAnswerReader, StreamStep, StreamTranslator, Usage } from '../types.js';

function int(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function usageFromResponses(raw: unknown): Usage | undefined {
  if (!isObject(raw)) return undefined;
  const usage: Usage = { inputTokens: int(raw.input_tokens), outputTokens: int(raw.output_tokens) };
  const cached = isObject(raw.input_tokens_details) ? int(raw.input_tokens_details.cached_tokens) : 0;
  if (cached > 0) usage.cachedInputTokens = Math.min(cached, usage.inputTokens);
  return usage;
}

/** The events that end a stream; each carries the final `response` with its usage. */
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);
/** Deltas of billable output: answer text, refusals and tool-call arguments. */
const DELTAS = new Set(['response.output_text.delta', 'response.refusal.delta', 'response.function_call_arguments.delta']);

function parsed(data: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(data);
    return isObject(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export class ResponsesStreamMeter implements StreamTranslator {
  push(event: SseEvent): StreamStep {
    // The event name is on the `event:` line and repeated as `type` in the data; either counts.
    const named = event.event;
    if (named !== undefined && named !== '' && !TERMINAL.has(named) && !DELTAS.has(named)) return {};
    const data = parsed(event.data);
    const type = typeof data?.type === 'string' ? data.type : named;
    if (!data || type === undefined) return {};
    if (DELTAS.has(type)) {
      return typeof data.delta === 'string' && data.delta.length > 0 ? { emit: [JSON.stringify({ choices: [{ index: 0, delta: { content: data.delta } }] })] } : {};
    }
    if (!TERMINAL.has(type)) return {};
    const usage = isObject(data.response) ? usageFromResponses(data.response.usage) : undefined;
    return usage ? { usage, done: true } : { done: true };
  }
}

export const RESPONSES_ANSWER: NativeAnswerReader = Object.freeze({
  usageOf: (json: unknown) => (isObject(json) ? usageFromResponses(json.usage) : undefined),
  streamTranslator: () => new ResponsesStreamMeter(),
});
