/**
 * Stage "respond": delivers the upstream answer to the client in the client's dialect. A
 * non-streamed answer is read whole (bounded), translated, and sent with usage headers; when
 * the adapter says the provider's bytes are already OpenAI-shaped they are forwarded as-is.
 * Streams are handed to the relay. Metering reads the usage this stage records.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { writeJson } from '../../http/response-writer.js';
import { readBody } from '../../upstream/upstream-client.js';
import type { RequestContext } from '../context.js';
import { buildInput, streamOptions } from './call-upstream.js';
import { relayStream } from './relay-stream.js';
import { successHeaders } from './success-headers.js';

const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

async function respondJson(ctx: RequestContext): Promise<void> {
  const up = ctx.upstream!;
  const target = ctx.target!;
  const raw = await readBody(up.body, MAX_RESPONSE_BYTES, ctx.call, up.headers['content-length']);
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new GatewayError('upstream_bad_response', { detail: 'The provider answered with malformed JSON.' });
  }
  if (json === null || typeof json !== 'object') throw new GatewayError('upstream_bad_response');
  const input = buildInput(ctx, target);
  const out = target.provider.adapter.translateResponse(input, json, streamOptions(ctx, target, false));
  ctx.usage = out.usage;
  ctx.finishReason = out.finishReason;
  const headers = successHeaders(ctx);
  if (out.usage) {
    headers['x-tollgate-tokens-in'] = out.usage.inputTokens;
    headers['x-tollgate-tokens-out'] = out.usage.outputTokens;
  }
  ctx.status = 200;
  ctx.firstByteAt = performance.now();
  writeJson(ctx.res, 200, headers, out.passRaw || !out.body ? raw : JSON.stringify(out.body));
}

/** Whether the client itself asked for the usage chunk of a stream. */
function clientWantsUsage(body: Record<string, unknown>): boolean {
  const so = body.stream_options as Record<string, unknown> | null | undefined;
  return so !== null && typeof so === 'object' && so.include_usage === true;
}

export function respond(ctx: RequestContext): Promise<void> {
  if (ctx.stream) return relayStream(ctx, clientWantsUsage(ctx.body));
  return respondJson(ctx);
}
