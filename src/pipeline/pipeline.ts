/**
 * THE request pipeline for the OpenAI-compatible endpoints. Reading the STAGES list below is
 * reading what happens to every request, in order; docs/pipeline.md draws the same list and
 * names the error codes each stage can emit (the `emits` field, checked by a test).
 *
 * Stages are small functions over one RequestContext. A stage either returns (the next stage
 * runs), throws a GatewayError (the edge answers with it), or answers the client itself and
 * sets `ctx.answered` (a cache hit), which skips the stages after it. This file owns that contract and
 * the error answer; it owns no feature logic.
 */
import type { ErrorCode } from '../errors/catalogue.js';
import { GatewayError, toGatewayError } from '../errors/gateway-error.js';
import { writeError } from '../http/response-writer.js';
import type { RequestContext } from './context.js';
import { authenticate } from './stages/authenticate.js';
import { forward } from './stages/forward.js';
import { labelRequest } from './stages/label-request.js';
import { parseRequest } from './stages/parse-request.js';
import { resolveTarget } from './stages/resolve-target.js';
import { cacheLookup } from '../cache/cache-stage.js';
import { guard } from '../guards/guard-stage.js';

export interface Stage {
  readonly name: string;
  readonly run: (ctx: RequestContext) => void | Promise<void>;
  /** Catalogue codes this stage may raise; documented in docs/pipeline.md. */
  readonly emits: readonly ErrorCode[];
}

export const STAGES: readonly Stage[] = Object.freeze([
  { name: 'authenticate', run: authenticate, emits: ['missing_credentials', 'invalid_api_key'] },
  { name: 'parse', run: parseRequest, emits: ['unsupported_media_type', 'invalid_json', 'invalid_request'] },
  { name: 'label', run: labelRequest, emits: [] },
  { name: 'resolve', run: resolveTarget, emits: ['model_not_found', 'operation_not_supported', 'target_not_allowed', 'circuit_open'] },
  { name: 'guard', run: guard, emits: ['key_not_allowed', 'rate_limit_exceeded', 'request_cost_too_high', 'budget_exceeded', 'insufficient_quota', 'guard_unavailable'] },
  { name: 'cache', run: cacheLookup, emits: [] },
  {
    name: 'upstream',
    run: forward,
    emits: [
      'operation_not_supported', 'invalid_request', 'upstream_rejected', 'upstream_auth_failed', 'upstream_rate_limited',
      'upstream_server_error', 'upstream_overloaded', 'upstream_unreachable', 'upstream_timeout', 'upstream_bad_response',
      'upstream_stream_interrupted', 'circuit_open', 'client_closed', 'target_forbidden',
    ],
  },
]);

/** Errors the edge itself raises around the stages (body limits, unknown routes, draining). */
export const EDGE_EMITS: readonly ErrorCode[] = [
  'payload_too_large', 'unsupported_media_type', 'invalid_request', 'invalid_json', 'client_closed', 'headers_too_large', 'malformed_http', 'route_not_found', 'method_not_allowed', 'request_timeout', 'overloaded', 'shutting_down', 'internal_error',
];

export type ErrorReporter = (err: GatewayError, ctx: RequestContext) => void;

export interface PipelineHooks {
  /** A request failed; called before the error answer is written. */
  onError: ErrorReporter;
  /** The request is over (answered, failed or abandoned); exactly once. */
  onFinish(ctx: RequestContext): void;
}

/** One async function for the whole run (stages, error answer, finish): each layer costs a promise. */
export async function runPipeline(ctx: RequestContext, hooks: PipelineHooks): Promise<void> {
  try {
    for (const stage of STAGES) {
      const pending = stage.run(ctx);
      if (pending !== undefined) await pending;
      // A stage that wrote the whole answer (a cache hit) ends the request's stages.
      if (ctx.answered) break;
    }
  } catch (thrown) {
    answerError(ctx, thrown, hooks.onError);
  } finally {
    hooks.onFinish(ctx);
  }
}

function answerError(ctx: RequestContext, thrown: unknown, report: ErrorReporter): void {
  const err = toGatewayError(thrown);
  ctx.error = err;
  ctx.status = err.status;
  if (err.code === 'client_closed') {
    ctx.upstream?.body?.destroy();
    return;
  }
  report(err, ctx);
  if (ctx.res.headersSent) ctx.res.destroy(); // never leave a half-sent answer open
  else writeError(ctx.res, err, ctx.id, ctx.cacheStatus ? { 'x-tollgate-cache-status': ctx.cacheStatus, 'cf-aig-cache-status': ctx.cacheStatus } : {});
}
