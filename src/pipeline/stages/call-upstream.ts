/**
 * One upstream attempt: asks the target's adapter for the wire request, sends it through the
 * shared undici agent, and turns a non-2xx answer into the adapter's GatewayError. On success
 * it leaves the open upstream response on the context for the respond stage, which reads or
 * relays it. One attempt against one target; retries and fallback across targets belong
 * to the forward stage (forward.ts), which calls this once per attempt.
 */
import type { BuildInput, StreamOptions } from '../../providers/types.js';
import { attemptCall, readBody, sendUpstream, type UpstreamTimeouts } from '../../upstream/upstream-client.js';
import { fetchWhole } from '../../upstream/whole-response.js';
import type { RequestContext, ResolvedTarget } from '../context.js';

const MAX_ERROR_BODY = 1024 * 1024;
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export function buildInput(ctx: RequestContext, target: ResolvedTarget): BuildInput {
  return {
    operation: ctx.operation,
    model: target.model,
    body: target.params ? { ...ctx.body, ...target.params } : ctx.body,
    stream: ctx.stream,
    credential: ctx.credential,
  };
}

export function streamOptions(ctx: RequestContext, target: ResolvedTarget, clientWantsUsage: boolean): StreamOptions {
  return {
    operation: ctx.operation,
    model: target.model,
    clientWantsUsage,
    requestId: ctx.id,
    // The request's arrival second: no clock read per attempt for a field most answers ignore.
    created: Math.floor(ctx.receivedAt / 1000),
  };
}

/** One attempt against one target: build, send, and turn a non-2xx answer into its error. */
export async function callUpstream(ctx: RequestContext, target: ResolvedTarget, timeouts: UpstreamTimeouts = ctx.call.timeouts): Promise<void> {
  ctx.target = target;
  const { adapter, settings } = target.provider;
  const wire = adapter.buildRequest(settings, buildInput(ctx, target));
  ctx.attempts++;
  // The attempt's span; its context goes upstream as `traceparent` (W3C).
  ctx.trace?.startAttempt(target, ctx.attempts, wire.headers);
  const call = attemptCall(ctx.call, timeouts, ctx.shared.upstreamSlots.of(target.provider.name, settings));
  let status: number;
  let headers: Record<string, string | string[] | undefined>;
  let text: string;
  if (ctx.stream) {
    const res = await sendUpstream(wire, call);
    ({ statusCode: status, headers } = res);
    if (status >= 200 && status < 300) {
      ctx.upstream = { status, headers, body: res.body };
      return;
    }
    text = (await readBody(res.body, MAX_ERROR_BODY, ctx.call)).toString('utf8');
  } else {
    // An answer read whole (nearly every call): no body stream at all.
    const res = await fetchWhole(wire, call, { okBytes: MAX_RESPONSE_BYTES, errorBytes: MAX_ERROR_BODY });
    ({ statusCode: status, headers } = res);
    if (status >= 200 && status < 300) {
      ctx.upstream = { status, headers, raw: res.body };
      return;
    }
    text = res.body.toString('utf8');
  }
  const err = adapter.translateError({ status, headers, bodyText: text });
  err.upstreamStatus = status;
  throw err;
}
