/**
 * Reads error bodies of OpenAI-compatible servers. Most answer in OpenAI's `{error:{…}}` shape,
 * but several do not: vLLM answers `{object:"error", message, type, code}`, FastAPI-based
 * servers `{detail: "…"}`. Those are read here so the client still learns why a request was
 * rejected; the status-to-code mapping stays the shared one.
 */
import type { GatewayError } from '../../errors/gateway-error.js';
import { gatewayErrorForStatus, openAIErrorFields, type ProviderErrorFields } from '../openai-shared/errors.js';
import type { UpstreamFailure } from '../types.js';

function text(v: unknown): string | undefined {
  if (typeof v === 'string' && v.length > 0) return v.slice(0, 500);
  return typeof v === 'number' ? String(v) : undefined;
}

function topLevelFields(bodyText: string): ProviderErrorFields {
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed === null || typeof parsed !== 'object') return {};
    const o = parsed as Record<string, unknown>;
    return { message: text(o.message) ?? text(o.detail), code: text(o.code) ?? text(o.type), param: text(o.param) };
  } catch {
    return {};
  }
}

export function compatibleErrorFields(bodyText: string): ProviderErrorFields {
  const fields = openAIErrorFields(bodyText);
  return fields.message !== undefined || fields.code !== undefined ? fields : topLevelFields(bodyText);
}

export function translateCompatibleError(failure: UpstreamFailure): GatewayError {
  return gatewayErrorForStatus(failure, compatibleErrorFields(failure.bodyText));
}
