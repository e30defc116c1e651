/**
 * Maps an OpenAI-format error answer (status + `{error:{message,type,code,param}}`) to a
 * GatewayError. Used by every OpenAI-format adapter and as the fallback reading of unknown
 * provider errors. Provider messages are shortened and only shown where the catalogue exposes
 * them; authentication failures never echo the provider's text (it can quote our key).
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { UpstreamFailure } from '../types.js';

export interface ProviderErrorFields {
  message?: string;
  code?: string;
  param?: string;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 500) : typeof v === 'number' ? String(v) : undefined;
}

export function openAIErrorFields(bodyText: string): ProviderErrorFields {
  try {
    const parsed = JSON.parse(bodyText) as { error?: unknown };
    const e = parsed.error;
    if (typeof e === 'string') return { message: e.slice(0, 500) };
    if (e && typeof e === 'object') {
      const o = e as Record<string, unknown>;
      return { message: str(o.message), code: str(o.code) ?? str(o.type), param: str(o.param) };
    }
  } catch {
    // Not JSON: fall through to no fields; the status alone decides.
  }
  return {};
}

function header(failure: UpstreamFailure, name: string): string | undefined {
  const v = failure.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Seconds to wait according to `retry-after-ms` or `retry-after` (seconds or HTTP date). */
export function retryAfterSeconds(failure: UpstreamFailure, now = Date.now()): number | undefined {
  const ms = Number(header(failure, 'retry-after-ms'));
  if (Number.isFinite(ms) && ms >= 0 && header(failure, 'retry-after-ms') !== undefined) return ms / 1000;
  const ra = header(failure, 'retry-after');
  if (ra === undefined) return undefined;
  const secs = Number(ra);
  if (Number.isFinite(secs) && secs >= 0) return secs;
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

export function gatewayErrorForStatus(failure: UpstreamFailure, fields: ProviderErrorFields): GatewayError {
  const { status } = failure;
  const detail = fields.message;
  if (status === 401 || status === 403) return new GatewayError('upstream_auth_failed');
  if (status === 429) {
    if (fields.code === 'insufficient_quota') {
      return new GatewayError('upstream_rejected', { status: 429, detail, providerCode: fields.code });
    }
    return new GatewayError('upstream_rate_limited', { detail, retryAfterSeconds: retryAfterSeconds(failure) });
  }
  if (status === 408 || status === 504) return new GatewayError('upstream_timeout', { detail });
  if (status === 503 || status === 529) {
    return new GatewayError('upstream_overloaded', { detail, retryAfterSeconds: retryAfterSeconds(failure) });
  }
  if (status >= 500) return new GatewayError('upstream_server_error', { detail });
  return new GatewayError('upstream_rejected', {
    status: status >= 400 && status < 500 ? status : 502,
    detail,
    providerCode: fields.code,
    param: fields.param,
  });
}

export function translateOpenAIError(failure: UpstreamFailure): GatewayError {
  return gatewayErrorForStatus(failure, openAIErrorFields(failure.bodyText));
}
