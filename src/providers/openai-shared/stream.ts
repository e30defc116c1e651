/**
 * Stream translator for OpenAI-format SSE: forwards each chunk's payload untouched, taps the
 * usage chunk, hides it from clients that did not ask for it, and recognises `[DONE]` and
 * in-stream error objects. Only chunks that can carry usage or an error are JSON-parsed.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { StreamOptions, StreamStep, StreamTranslator } from '../types.js';
import type { SseEvent } from '../../upstream/sse-parser.js';
import { usageFromOpenAI } from './usage.js';

const USAGE_OBJECT = /"usage"\s*:\s*\{/;
const ERROR_OBJECT = /^\s*\{\s*"error"\s*:/;

export class OpenAIStreamTranslator implements StreamTranslator {
  constructor(private readonly options: Pick<StreamOptions, 'clientWantsUsage'>) {}

  push(event: SseEvent): StreamStep {
    const data = event.data;
    if (data === '[DONE]') return { done: true };
    if (event.event === 'error' || ERROR_OBJECT.test(data)) return { error: streamError(data) };
    // A full parse of every chunk costs more than the rest of the relay; a chunk that does not
    // even look like one JSON object is a truncated or garbled upstream, and must not be
    // forwarded to a client whose SDK would choke on it.
    if (data.charCodeAt(0) !== 123 || data.charCodeAt(data.length - 1) !== 125) {
      throw new GatewayError('upstream_bad_response', { detail: 'The provider sent a malformed stream chunk.' });
    }
    if (!USAGE_OBJECT.test(data)) return { emit: [data] };
    let chunk: Record<string, unknown>;
    try {
      chunk = JSON.parse(data) as Record<string, unknown>;
    } catch {
      throw new GatewayError('upstream_bad_response', { detail: 'The provider sent a malformed stream chunk.' });
    }
    const usage = usageFromOpenAI(chunk.usage);
    const choices = chunk.choices;
    const usageOnly = !Array.isArray(choices) || choices.length === 0;
    if (usageOnly && !this.options.clientWantsUsage) return { usage };
    return { emit: [data], usage };
  }
}

function streamError(data: string): GatewayError {
  let message = 'The provider reported an error inside the stream.';
  try {
    const parsed = JSON.parse(data) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message.slice(0, 500);
  } catch {
    // Keep the generic message: the payload was not JSON.
  }
  return new GatewayError('upstream_stream_interrupted', { detail: message });
}
