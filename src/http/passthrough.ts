/**
 * Native pass-through: `/{provider}/…` and the Cloudflare AI Gateway shape
 * `/v1/{account}/{gateway}/{provider}/…` forward the request as-is to the named provider's
 * own API, with the gateway's credentials in managed mode, and stream the answer back
 * untouched. Only framing and hop-by-hop headers are changed. Metering of pass-through calls is
 * the metering layer's concern; translation never happens here.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RuntimeConfig } from '../config/compile.js';
import { GatewayError, toGatewayError } from '../errors/gateway-error.js';
import { sendUpstream, transportError } from '../upstream/upstream-client.js';
import { clientCredential, clientResponseHeaders, upstreamRequestHeaders } from './forward-headers.js';
import { openRequestScope } from './request-scope.js';
import { writeError } from './response-writer.js';
import type { PipelineHooks } from '../pipeline/pipeline.js';
import type { ResilienceRuntime } from '../resilience/resilience-runtime.js';
import { authenticateKey } from '../guards/authenticate-key.js';
import type { GatewayTracing } from '../observability/tracing/gateway-tracing.js';

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
  authenticateKey(scope.ctx); // with keys in use, native calls need one too
  const provider = p.config.providers.get(p.providerName);
  if (!provider) throw new GatewayError('route_not_found', { detail: `No provider named "${p.providerName.slice(0, 64)}" is configured.` });
  scope.ctx.target = { id: provider.name, providerTrusted: false, weight: 1, when: undefined, provider, model: '', params: undefined };
  const keepCredentials = p.config.authMode === 'passthrough';
  const credential = keepCredentials ? clientCredential(p.req.headers) : undefined;
  const headers = upstreamRequestHeaders(p.req.headers, keepCredentials);
  const target = provider.adapter.passthrough(provider.settings, { path: p.path, headers, credential });
  // The attempt's span replaces any client traceparent with one naming it (W3C).
  scope.ctx.trace?.startAttempt({ id: provider.name, model: 'passthrough', provider }, 1, target.headers);
  const method = p.req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD' && p.body !== undefined && p.body.length > 0;
  const up = await sendUpstream(
    { method, url: target.url, headers: target.headers, body: hasBody ? p.body : undefined },
    { ...scope.ctx.call, slots: p.shared.upstreamSlots.of(provider.name, provider.settings) },
  );
  scope.ctx.status = up.statusCode;
  scope.ctx.attempts = 1;
  p.res.writeHead(up.statusCode, { ...clientResponseHeaders(up.headers), 'x-request-id': scope.ctx.id, 'x-tollgate-provider': provider.name });
  try {
    for await (const chunk of up.body) {
      if (!p.res.write(chunk)) await new Promise<void>((r) => { p.res.once('drain', r); p.res.once('close', r); });
    }
    p.res.end();
  } catch (err) {
    up.body.destroy();
    throw transportError(err, scope.ctx.call, 'body');
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
