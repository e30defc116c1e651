/**
 * The one catalogue of gateway errors. Every error a client can receive has an entry here with
 * a stable `code`, an HTTP status, an OpenAI error `type`, and two flags: `retryable` (whether a
 * client or our own retry logic may try again) and `expose` (whether the detailed message may be
 * shown to the client; unexposed errors answer with the generic message below plus the request
 * id). docs/errors.md is checked against this table by a test, so the two cannot drift.
 *
 * This module only describes errors; raising them is gateway-error.ts, and translating provider
 * errors into them is each provider adapter's job.
 */

export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'insufficient_quota'
  | 'api_error'
  | 'timeout_error'
  | 'overloaded_error';

export interface ErrorSpec {
  readonly status: number;
  readonly type: OpenAIErrorType;
  readonly retryable: boolean;
  readonly expose: boolean;
  /** Default client-facing message; detail may be appended when `expose` is true. */
  readonly message: string;
}

export const ERROR_CATALOGUE = {
  invalid_json: {
    status: 400, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The request body is not valid JSON.',
  },
  invalid_request: {
    status: 400, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The request is invalid.',
  },
  unsupported_media_type: {
    status: 415, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'Content-Type must be application/json.',
  },
  payload_too_large: {
    status: 413, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The request body exceeds the configured size limit.',
  },
  headers_too_large: {
    status: 431, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The request headers are too large.',
  },
  malformed_http: {
    status: 400, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The HTTP request could not be parsed.',
  },
  route_not_found: {
    status: 404, type: 'not_found_error', retryable: false, expose: true,
    message: 'No such endpoint.',
  },
  method_not_allowed: {
    status: 405, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'This endpoint does not accept that HTTP method.',
  },
  model_not_found: {
    status: 404, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The model does not exist or is not configured on this gateway.',
  },
  operation_not_supported: {
    status: 400, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The selected provider does not support this operation.',
  },
  admin_unauthorized: {
    status: 401, type: 'authentication_error', retryable: false, expose: true,
    message: 'Operator endpoints need the admin key (Authorization: Bearer …).',
  },
  target_not_allowed: {
    status: 403, type: 'permission_error', retryable: false, expose: true,
    message: 'No target of this model may serve this request.',
  },
  provider_queue_full: {
    status: 503, type: 'overloaded_error', retryable: true, expose: true,
    message: "The gateway's queue of calls to this provider is full (providers.<name>.maxConcurrent / maxQueued); retry shortly.",
  },
  circuit_open: {
    status: 503, type: 'overloaded_error', retryable: true, expose: true,
    message: 'Every target for this model is failing and temporarily switched off; retry after the cooldown.',
  },
  missing_credentials: {
    status: 401, type: 'authentication_error', retryable: false, expose: true,
    message: 'No provider credentials: configure an API key for this provider or send one.',
  },
  upstream_rejected: {
    status: 400, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The provider rejected the request.',
  },
  upstream_auth_failed: {
    status: 502, type: 'api_error', retryable: false, expose: false,
    message: 'The provider refused the gateway\'s credentials.',
  },
  upstream_rate_limited: {
    status: 429, type: 'rate_limit_error', retryable: true, expose: true,
    message: 'The provider is rate limiting requests.',
  },
  upstream_server_error: {
    status: 502, type: 'api_error', retryable: true, expose: true,
    message: 'The provider returned a server error.',
  },
  upstream_overloaded: {
    status: 503, type: 'overloaded_error', retryable: true, expose: true,
    message: 'The provider is overloaded.',
  },
  upstream_unreachable: {
    status: 502, type: 'api_error', retryable: true, expose: true,
    message: 'The provider could not be reached.',
  },
  target_forbidden: {
    status: 502, type: 'api_error', retryable: false, expose: true,
    message: "The provider's address is refused by the gateway's outbound address policy.",
  },
  upstream_timeout: {
    status: 504, type: 'timeout_error', retryable: true, expose: true,
    message: 'The provider did not answer in time.',
  },
  upstream_bad_response: {
    status: 502, type: 'api_error', retryable: true, expose: true,
    message: 'The provider sent a response the gateway could not understand.',
  },
  upstream_stream_interrupted: {
    status: 502, type: 'api_error', retryable: true, expose: true,
    message: 'The provider stream ended before it was complete.',
  },
  client_closed: {
    status: 499, type: 'api_error', retryable: false, expose: true,
    message: 'The client closed the connection.',
  },
  // Access control and spend guards (src/guards/).
  invalid_api_key: {
    status: 401, type: 'authentication_error', retryable: false, expose: true,
    message: 'The Tollgate API key is not valid (unknown, revoked or malformed).',
  },
  key_not_allowed: {
    status: 403, type: 'permission_error', retryable: false, expose: true,
    message: 'This API key may not use the requested model or route.',
  },
  rate_limit_exceeded: {
    status: 429, type: 'rate_limit_error', retryable: true, expose: true,
    message: 'Rate limit exceeded; retry after the time in Retry-After.',
  },
  budget_exceeded: {
    status: 402, type: 'insufficient_quota', retryable: false, expose: true,
    message: 'The spend budget for this window is exhausted.',
  },
  insufficient_quota: {
    status: 429, type: 'insufficient_quota', retryable: false, expose: true,
    message: 'You exceeded your current quota (spend budget exhausted).',
  },
  request_cost_too_high: {
    status: 402, type: 'insufficient_quota', retryable: false, expose: true,
    message: 'The worst-case cost of this request exceeds the per-request budget cap.',
  },
  guard_unavailable: {
    status: 503, type: 'api_error', retryable: true, expose: true,
    message: 'The budget store is unreachable; requests that need a budget are refused until it returns.',
  },
  edit_conflict: {
    status: 409, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The record kept changing while it was being edited; send the edit again.',
  },
  log_store_unavailable: {
    status: 503, type: 'api_error', retryable: true, expose: true,
    message: 'The request log store is not available.',
  },
  request_timeout: {
    status: 408, type: 'invalid_request_error', retryable: false, expose: true,
    message: 'The request was not received in time (server.headersTimeoutMs / server.requestTimeoutMs).',
  },
  overloaded: {
    status: 503, type: 'overloaded_error', retryable: true, expose: true,
    message: 'The gateway is at capacity; retry shortly.',
  },
  shutting_down: {
    status: 503, type: 'overloaded_error', retryable: true, expose: true,
    message: 'The gateway is shutting down; retry on another replica.',
  },
  internal_error: {
    status: 500, type: 'api_error', retryable: true, expose: false,
    message: 'The gateway failed unexpectedly; quote the request id when reporting it.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function errorSpec(code: ErrorCode): ErrorSpec {
  return ERROR_CATALOGUE[code];
}
