/**
 * Native pass-through: `/{provider}/…` and the Cloudflare AI Gateway shape
 * `/v1/{account}/{gateway}/{provider}/…` forward the request as-is to the named provider's
 * own API, with the gateway's credentials in managed mode, and stream the answer back
 * untouched. Only framing and hop-by-hop headers are changed; translation never happens here.
 *
 * Native calls are guarded and metered like /v1/… ones: the adapter names the model a native
 * call uses (passthrough-call.ts), the guard stage runs on that, and a meter watches the answer
 * after each chunk has gone to the client (passthrough-meter.ts). Settling cost and guards
 * happens in the shared finish hook.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeConfig } from '../config/compile.js';
import { GatewayError, toGatewayError } from '../errors/gateway-error.js';
import { attemptCall, sendUpstream, transportError } from '../upstream/upstream-client.js';
import { clientCredential, clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';
import { openRequestScope } from './request-scope.js';
import { writeError, type HeaderMap } from './response-writer.js';
import type { PipelineHooks } from '../pipeline/pipeline.js';
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import { authenticateKey } from '../guards/authenticate-key.js';
import type { GatewayTracing } from '../observability/tracing/gateway-tracing.js';
import { guard, guardHeaders } from '../guards/guard-stage.js';
import { describeNativeCall } from './passthrough-call.js';
import { PassthroughMeter } from './passthrough-meter.js';

export interface PassthroughRequest {
  config: RuntimeConfig;
  providerName: string;
  /** Path after the provider segment, beginning with `/`, query string included. */
  path: string;
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer | undefined;
  hooks: PipelineHooks;
  shared: ResilienceRuntime;
  /** Request and attempt spans; absent when tracing is off. */
  tracing?: GatewayTracing;
}

async function forward(p: PassthroughRequest, scope: ReturnType<typeof openRequestScope>): Promise<void> {
  const ctx = scope.ctx;
  authenticateKey(ctx); // with keys in use, native calls need one too
  const provider = p.config.providers.get(p.providerName);
  if (!provider) throw new GatewayError('route_not_found', { detail: `No provider named "${p.providerName.slice(0, 64)}" is configured.` });
  const method = p.req.method ?? 'GET';
  const call = describeNativeCall(ctx, provider, p.path, method);
  // Model allowlists, rate limits, token windows and the budget reservation, as on /v1/….
  const guarded = guard(ctx);
  if (guarded) await guarded;
  const keepCredentials = p.config.authMode === 'passthrough';
  const credential = keepCredentials ? clientCredential(p.req.headers) : undefined;
  const headers = upstreamRequestHeaders(p.req.headers, keepCredentials);
  const target = provider.adapter.passthrough(provider.settings, { path: p.path, headers, credential });
  // The attempt's span replaces any client traceparent with one naming it (W3C).
  ctx.trace?.startAttempt({ id: provider.name, model: 'passthrough', provider }, 1, target.headers);
  const hasBody = method !== 'GET' && method !== 'HEAD' && p.body !== undefined && p.body.length > 0;
  const upstreamCall = attemptCall(ctx.call, ctx.call.timeouts, p.shared.upstreamSlots.of(provider.name, provider.settings));
  const up = await sendUpstream({ method, url: target.url, headers: target.headers, body: hasBody ? p.body : undefined }, upstreamCall);
  ctx.status = up.statusCode;
  ctx.attempts = 1;
  const meter = call ? new PassthroughMeter(ctx, provider.adapter, call.input, up.statusCode, up.headers, call.answer) : undefined;
  const extra: HeaderMap = { 'x-request-id': ctx.id, 'x-tollgate-provider': provider.name };
  guardHeaders(ctx, extra);
  p.res.writeHead(up.statusCode, { ...clientResponseHeaders(up.headers), ...extra });
  try {
    for await (const chunk of up.body) {
      ctx.firstByteAt ??= performance.now();
      // The client gets the chunk first; the meter only looks at it afterwards.
      if (!p.res.write(chunk)) await new Promise<void>((r) => { p.res.once('drain', r); p.res.once('close', r); });
      meter?.observe(chunk as Buffer);
    }
    p.res.end();
    meter?.finish(true);
  } catch (err) {
    up.body.destroy();
    meter?.finish(false);
    throw transportError(err, ctx.call, 'body');
  }
}

export async function handlePassthrough(p: PassthroughRequest): Promise<void> {
  const scope = openRequestScope(p.shared, p.config, 'chat', p.req, p.res, p.body, 'passthrough');
  if (p.tracing) scope.ctx.trace = p.tracing.startRequest(p.req.headers, 'passthrough', scope.ctx.id);
  try {
    await forward(p, scope);
  } catch (thrown) {
    const err = toGatewayError(thrown);
    scope.ctx.error = err;
    if (p.res.headersSent) p.res.destroy();
    else if (err.code !== 'client_closed') writeError(p.res, err, scope.ctx.id);
  } finally {
    scope.release();
    p.hooks.onFinish(scope.ctx);
  }
}
