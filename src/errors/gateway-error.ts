/**
 * GatewayError: the only error type the request path throws on purpose. It carries a catalogue
 * code and everything needed to render an OpenAI-shaped error body and its headers. Anything
 * else that reaches the edge is a bug and is rendered as `internal_error` without its message.
 *
 * It does not log and does not sanitize free text from providers; adapters pass only the
 * fields they have vetted (message, provider code, param).
 */
import { sanitizeErrorMessage } from '../privacy/mask.js';
import { ERROR_CATALOGUE, type ErrorCode, type ErrorSpec } from './catalogue.js';

export interface GatewayErrorOptions {
  /** Detail shown to the client when the catalogue entry is exposed. */
  detail?: string;
  /** OpenAI `param` naming the offending field. */
  param?: string;
  /** Provider's own error code, shown instead of ours for `upstream_rejected`. */
  providerCode?: string;
  /** Status to use instead of the catalogue's (upstream 4xx pass-through). */
  status?: number;
  /** Seconds the client should wait, sent as Retry-After. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly spec: ErrorSpec;
  readonly status: number;
  readonly param: string | undefined;
  readonly providerCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;
  /** The provider's own HTTP status, when this error translates an upstream answer. */
  upstreamStatus: number | undefined;

  constructor(code: ErrorCode, options: GatewayErrorOptions = {}) {
    const spec = ERROR_CATALOGUE[code];
    super(options.detail ?? spec.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.spec = spec;
    this.status = options.status ?? spec.status;
    this.param = options.param;
    this.providerCode = options.providerCode;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  get retryable(): boolean {
    return this.spec.retryable;
  }
}

export interface ErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
  request_id: string;
}

/** Normalizes anything thrown into a GatewayError; unknown throwables become internal_error. */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('internal_error', { cause: err });
}

export function errorBody(err: GatewayError, requestId: string): ErrorBody {
  // Exposed detail can carry provider text (which may quote keys or user data): mask it.
  const message = err.spec.expose ? sanitizeErrorMessage(err.message) : err.spec.message;
  return {
    error: {
      message,
      type: err.spec.type,
      code: err.providerCode ?? err.code,
      param: err.param ?? null,
    },
    request_id: requestId,
  };
}

/** Headers that accompany an error response, beyond content-type and the request id. */
export function errorHeaders(err: GatewayError): Record<string, string> {
  const headers: Record<string, string> = { 'x-should-retry': String(err.retryable), 'x-tollgate-error-code': err.code };
  if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(err.retryAfterSeconds)));
  return headers;
}
