/**
 * Response headers every successful answer carries: the request id, which provider and model
 * answered, and how many upstream attempts it took. Token and cost headers are added by the
 * respond stage for non-streamed answers only (a stream's usage is known at its end).
 */
import type { HeaderMap } from '../../http/response-writer.js';
import type { RequestContext } from '../context.js';
import { guardHeaders } from '../../guards/guard-stage.js';

const PRINTABLE = /^[\x21-\x7e]+$/;

export function successHeaders(ctx: RequestContext): HeaderMap {
  const target = ctx.target;
  const headers: HeaderMap = {
    'x-request-id': ctx.id,
    'x-tollgate-attempts': ctx.attempts,
    'x-tollgate-fallback-index': ctx.fallbackIndex,
    'cf-aig-step': ctx.fallbackIndex,
  };
  if (ctx.cacheStatus) headers['x-tollgate-cache-status'] = headers['cf-aig-cache-status'] = ctx.cacheStatus;
  if (target) {
    headers['x-tollgate-provider'] = target.provider.name;
    // Header values must be visible ASCII; anything else is percent-encoded rather than dropped.
    headers['x-tollgate-model'] = PRINTABLE.test(target.model) ? target.model : encodeURIComponent(target.model);
  }
  guardHeaders(ctx, headers); // RateLimit / RateLimit-Policy when rate limits applied
  return headers;
}
