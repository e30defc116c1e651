/**
 * Stage "upstream": delivers the request to its ordered targets with retries, fallback and
 * circuit breakers. Each attempt is a call plus delivery of the answer (respond.ts), so a
 * failure is retried or failed over only while nothing has reached the client: a non-streamed
 * answer is sent whole at the end, and a stream's head goes out with its first event. After
 * that, failures end the stream honestly (relay-stream.ts) instead of being retried.
 *
 * The decision after each failure (same target again after a delay, next target, or give up)
 * is attempt-plan.ts's, except for a full provider queue (next target at once, or refuse); this file performs it: waits (abortable), feeds breakers, trackers and
 * the retry budget, and records attempts and the fallback index for metering and headers.
 */
import { GatewayError, toGatewayError } from '../../errors/gateway-error.js';
import { nextStep } from '../../resilience/attempt-plan.js';
import { parseRetryOverrides, type RetryOverrides } from '../../resilience/retry-headers.js';
import { markSeen } from '../../resilience/resilience-runtime.js';
import { withOverrides } from '../../resilience/retry-policy.js';
import type { UpstreamTimeouts } from '../../upstream/upstream-client.js';
import type { RequestContext, ResolvedTarget } from '../context.js';
import { callUpstream } from './call-upstream.js';
import { respond } from './respond.js';

/** Waits `ms`, or less if the request is aborted meanwhile (client gone, deadline). */
function pause(ctx: RequestContext, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      ctx.abort.removeListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    ctx.abort.once('abort', done);
  });
}

/**
 * Transport and server failures count against a target's breaker; a client's 4xx does not,
 * nor does the gateway's own per-provider queue being full (the provider did nothing wrong).
 */
function countsAgainstTarget(err: GatewayError): boolean {
  return err.retryable && err.code !== 'client_closed' && err.code !== 'internal_error' && err.code !== 'provider_queue_full';
}

async function attempt(ctx: RequestContext, target: ResolvedTarget, timeouts: UpstreamTimeouts): Promise<void> {
  const started = performance.now();
  // Facts learned by a failed earlier attempt must not leak into this one's record.
  ctx.usage = undefined;
  ctx.partial = false;
  await callUpstream(ctx, target, timeouts);
  const relaying = respond(ctx); // a stream's relay; a whole answer is sent at once
  if (relaying !== undefined) await relaying;
  ctx.trace?.endAttempt(ctx.error?.code);
  const { latency, errors, breaker } = ctx.shared;
  if (ctx.error) {
    // A stream that broke after its first event was ended honestly by the relay; it still
    // counts as this target's failure.
    await recordFailure(ctx, target, ctx.error);
    return;
  }
  const now = Date.now();
  latency.record(target.id, performance.now() - started, now);
  errors.record(target.id, true, now);
  if (!breaker.isPristine(target.id)) await breaker.onSuccess(target.id);
}

async function recordFailure(ctx: RequestContext, target: ResolvedTarget, err: GatewayError): Promise<boolean> {
  if (!countsAgainstTarget(err)) return false;
  ctx.shared.errors.record(target.id, false, Date.now());
  await ctx.shared.breaker.onFailure(target.id);
  return !(await ctx.shared.breaker.available(target.id));
}

const OVERRIDE_HEADERS = [
  'x-tollgate-max-attempts', 'cf-aig-max-attempts', 'cf-aig-retry-delay', 'cf-aig-backoff', 'x-tollgate-request-timeout', 'cf-aig-request-timeout',
];
const NO_OVERRIDES = Object.freeze({});

/** Per-request retry overrides; nearly no request sends any, so look before parsing. */
function overridesOf(ctx: RequestContext): RetryOverrides {
  const h = ctx.req.headers;
  for (const name of OVERRIDE_HEADERS) if (h[name] !== undefined) return parseRetryOverrides(h);
  return NO_OVERRIDES;
}

export async function forward(ctx: RequestContext): Promise<void> {
  const overrides = overridesOf(ctx);
  const policy = overrides === NO_OVERRIDES ? ctx.config.retryPolicy : withOverrides(ctx.config.retryPolicy, overrides);
  const deadline = ctx.receivedAt + ctx.config.timeouts.totalMs;
  const timeouts = overrides.requestTimeoutMs === undefined ? ctx.call.timeouts
    : { ...ctx.call.timeouts, firstByteMs: Math.min(ctx.call.timeouts.firstByteMs, overrides.requestTimeoutMs) };
  const { budget, breaker, random } = ctx.shared;
  budget.recordRequest();
  let index = 0;
  let onTarget = 0;
  for (;;) {
    const target = ctx.targets[index];
    ctx.fallbackIndex = index;
    if (!breaker.isPristine(target.id) && (await breaker.allow(target.id)) === 'open') {
      ctx.trace?.event('breaker_skip', target.id);
      markSeen(ctx.shared, target.id); // an open breaker (maybe opened by another replica) shows in /metrics and /health
      if (index + 1 < ctx.targets.length) { index++; onTarget = 0; continue; }
      throw new GatewayError('circuit_open', { retryAfterSeconds: Math.ceil(ctx.config.breaker.cooldownMs / 1000) });
    }
    onTarget++;
    markSeen(ctx.shared, target.id);
    try {
      return await attempt(ctx, target, timeouts);
    } catch (thrown) {
      const err = toGatewayError(thrown);
      ctx.upstream?.body?.destroy();
      ctx.upstream = undefined;
      ctx.trace?.endAttempt(err.code, err.upstreamStatus);
      (ctx.failedAttempts ??= []).push({ provider: target.provider.name, status: err.upstreamStatus ?? 0 });
      const opened = await recordFailure(ctx, target, err);
      if (opened) ctx.trace?.event('breaker_open', target.id);
      if (err.code === 'client_closed' || ctx.res.headersSent) throw err;
      if (err.code === 'provider_queue_full') {
        // Waiting longer for this provider is what the cap forbids: the next target, or refuse now.
        if (index + 1 >= ctx.targets.length) throw err;
        ctx.trace?.event('fallback', target.id, { 'error.type': err.code });
        index++; onTarget = 0; continue;
      }
      const step = nextStep({
        error: { retryable: countsAgainstTarget(err), status: err.status, upstreamStatus: err.upstreamStatus, retryAfterSeconds: err.retryAfterSeconds },
        attempt: onTarget, targetIndex: index, targetCount: ctx.targets.length, policy, deadline, now: Date.now(), budget, random, targetOpen: opened,
      });
      if (step.kind === 'give-up') throw err;
      budget.recordRetry();
      if (step.kind === 'fallback') {
        ctx.trace?.event('fallback', target.id, { 'error.type': err.code });
        index = step.targetIndex; onTarget = 0; continue;
      }
      ctx.trace?.event('retry', target.id, { 'error.type': err.code, 'tollgate.delay_ms': step.delayMs });
      await pause(ctx, step.delayMs);
      if (ctx.abort.aborted) throw err;
    }
  }
}
