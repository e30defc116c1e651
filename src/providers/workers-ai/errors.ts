/**
 * Reads Workers AI error answers. Cloudflare wraps failures in its API envelope,
 * `{success:false, errors:[{code, message}]}`; the OpenAI-compatible endpoints sometimes answer
 * in OpenAI's `{error:{…}}` shape instead, so that is the fallback. Status-to-code mapping is
 * the shared one (gatewayErrorForStatus); this module only extracts the fields.
 */
import type { GatewayError } from '../../errors/gateway-error.js';
import { gatewayErrorForStatus, openAIErrorFields, type ProviderErrorFields } from '../openai-shared/errors.js';
import type { UpstreamFailure } from '../types.js';

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0) return v.slice(0, 500);
  return typeof v === 'number' ? String(v) : undefined;
}

/** Fields of the first entry of a Cloudflare `errors` array, if the object carries one. */
function envelopeFields(obj: Record<string, unknown>): ProviderErrorFields | undefined {
  const errors = obj.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const first = (errors[0] ?? {}) as Record<string, unknown>;
  return { message: text(first.message), code: text(first.code) };
}

/**
 * The error an already-parsed object reports, whether as a Cloudflare envelope (`errors`,
 * `success:false`) or as an `error` field; undefined when it reports none.
 */
export function reportedError(obj: Record<string, unknown>): ProviderErrorFields | undefined {
  const fromEnvelope = envelopeFields(obj);
  if (fromEnvelope) return fromEnvelope;
  const e = obj.error;
  if (typeof e === 'string') return { message: text(e) };
  if (e !== null && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    return { message: text(o.message), code: text(o.code) ?? text(o.type) };
  }
  return obj.success === false ? {} : undefined;
}

export function workersAIErrorFields(bodyText: string): ProviderErrorFields {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed !== null && typeof parsed === 'object') {
      const fields = envelopeFields(parsed as Record<string, unknown>);
      if (fields) return fields;
    }
  } catch {
    // Not JSON (an HTML error page from an edge, say): the status alone decides.
    return {};
  }
  return openAIErrorFields(bodyText);
}

export function translateWorkersAIError(failure: UpstreamFailure): GatewayError {
  return gatewayErrorForStatus(failure, workersAIErrorFields(failure.bodyText));
}
