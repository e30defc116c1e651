/**
 * OpenRouter reports failures that happen after it has started answering inside a 200: as an
 * `error` field of the response body, or as a stream chunk with an `error` field (often next
 * to `choices` with finish_reason "error"). The shared OpenAI translators only recognise an
 * error object at the start of a chunk, so this module finds OpenRouter's form and turns it
 * into a GatewayError; everything else is left to the shared pieces.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { gatewayErrorForStatus } from '../openai-shared/errors.js';
import { OpenAIStreamTranslator } from '../openai-shared/stream.js';
import type { SseEvent } from '../../upstream/sse-parser.js';
import type { StreamOptions, StreamStep, StreamTranslator } from '../types.js';

const MAYBE_ERROR = /"error"\s*:\s*\{/;

interface InBandError {
  status: number;
  message: string | undefined;
}

/** The `error` object a parsed OpenRouter body carries at its top level, if any. */
export function inBandError(body: unknown): InBandError | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const e = (body as Record<string, unknown>).error;
  if (e === null || typeof e !== 'object') return undefined;
  const o = e as Record<string, unknown>;
  // `error.code` mirrors an HTTP status; anything else means the model failed upstream.
  const status = typeof o.code === 'number' && o.code >= 400 && o.code < 600 ? o.code : 502;
  return { status, message: typeof o.message === 'string' ? o.message.slice(0, 500) : undefined };
}

export function inBandGatewayError(error: InBandError): GatewayError {
  return gatewayErrorForStatus({ status: error.status, headers: {}, bodyText: '' }, { message: error.message });
}

export class OpenRouterStreamTranslator implements StreamTranslator {
  private readonly inner: OpenAIStreamTranslator;

  constructor(options: Pick<StreamOptions, 'clientWantsUsage'>) {
    this.inner = new OpenAIStreamTranslator(options);
  }

  push(event: SseEvent): StreamStep {
    if (MAYBE_ERROR.test(event.data)) {
      let error: InBandError | undefined;
      try {
        error = inBandError(JSON.parse(event.data));
      } catch {
        // Not JSON: the shared translator decides what a malformed chunk means.
      }
      if (error) {
        return { error: new GatewayError('upstream_stream_interrupted', { detail: error.message }) };
      }
    }
    return this.inner.push(event);
  }
}
