/**
 * Reads Messages API error answers (`{type:'error', error:{type, message}}`) into GatewayErrors,
 * both for non-2xx responses and for `error` events inside a stream. The status-to-code policy
 * (retryability, Retry-After, hiding auth failures) is the shared one in openai-shared; this
 * module only knows where the provider puts its fields. Bodies of another shape (a proxy in
 * front of the provider, say) fall back to the OpenAI reading.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { gatewayErrorForStatus, openAIErrorFields, type ProviderErrorFields } from '../openai-shared/errors.js';
import type { UpstreamFailure } from '../types.js';
import { isObject, stringOf, type JsonObject } from './wire-json.js';

const MAX_MESSAGE = 500;

function clip(value: unknown): string | undefined {
  const s = stringOf(value);
  return s && s.length > 0 ? s.slice(0, MAX_MESSAGE) : undefined;
}

/** The provider's `error` object fields, when the payload has its shape. */
function fieldsOf(payload: unknown): ProviderErrorFields | undefined {
  if (!isObject(payload) || payload.type !== 'error' || !isObject(payload.error)) return undefined;
  return { message: clip(payload.error.message), code: clip(payload.error.type) };
}

export function anthropicErrorFields(bodyText: string): ProviderErrorFields {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bodyText);
  } catch {
    return {};
  }
  return fieldsOf(parsed) ?? openAIErrorFields(bodyText);
}

export function translateAnthropicError(failure: UpstreamFailure): GatewayError {
  return gatewayErrorForStatus(failure, anthropicErrorFields(failure.bodyText));
}

/** An `error` event received after the stream started (headers already said 200). */
export function streamError(payload: JsonObject): GatewayError {
  const fields = fieldsOf(payload) ?? {};
  const detail = fields.message ?? 'The provider reported an error inside the stream.';
  if (fields.code === 'overloaded_error') return new GatewayError('upstream_overloaded', { detail });
  return new GatewayError('upstream_stream_interrupted', { detail });
}
