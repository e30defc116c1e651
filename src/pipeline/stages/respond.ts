/**
 * Stage "respond": delivers the upstream answer to the client in the client's dialect. A
 * non-streamed answer is read whole (bounded), translated, and sent with usage headers; when
 * the adapter says the provider's bytes are already OpenAI-shaped they are forwarded as-is.
 * Streams are handed to the relay. Metering reads the usage this stage records.
 */
import { logsPayload } from '../../privacy/payload-policy.js';
import { GatewayError } from '../../errors/gateway-error.js';
import { writeJson } from '../../http/response-writer.js';
import type { RequestContext } from '../context.js';
import { buildInput, streamOptions } from './call-upstream.js';
import { relayStream } from './relay-stream.js';
import { successHeaders } from './success-headers.js';
import { clientWantsUsage } from '../../providers/openai-shared/request-body.js';
import { settleUsage } from '../../metering/settle-usage.js';
import { storeJsonAnswer, tapJsonAnswer } from '../../cache/cache-tap.js';

/** USD with micro-dollar precision and no float noise: 1234 → "0.001234". */
export function formatCostHeader(micros: number): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  return `${sign}${Math.floor(abs / 1_000_000)}.${String(abs % 1_000_000).padStart(6, '0')}`;
}

/** The answer text of a non-streamed OpenAI-shaped body, for estimating its tokens. */
function completionText(body: unknown): string {
  const choices = (body as { choices?: Array<{ message?: { content?: unknown }; text?: unknown }> }).choices;
  if (!Array.isArray(choices)) return '';
  return choices.map((c) => (typeof c.message?.content === 'string' ? c.message.content : typeof c.text === 'string' ? c.text : '')).join('');
}

/** Synchronous: the answer was read whole by call-upstream.ts, so nothing here waits. */
function respondJson(ctx: RequestContext): void {
  const up = ctx.upstream!;
  const target = ctx.target!;
  const raw = up.raw!; // call-upstream.ts reads a non-streamed answer whole
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
  ctx.status = 200;
  settleUsage(ctx, ctx.config.pricer, out.usage ? undefined : completionText(out.body ?? json));
  const headers = successHeaders(ctx);
  if (ctx.usage) {
    headers['x-tollgate-tokens-in'] = ctx.usage.inputTokens;
    headers['x-tollgate-tokens-out'] = ctx.usage.outputTokens;
  }
  if (ctx.costMicros !== null) headers['x-tollgate-cost-usd'] = formatCostHeader(ctx.costMicros);
  ctx.firstByteAt = performance.now();
  // The cache's tap reassembles a split embeddings batch; any other answer is stored once sent.
  const payload = tapJsonAnswer(ctx, out.passRaw || !out.body ? raw : JSON.stringify(out.body));
  if (logsPayload(ctx)) ctx.responseText = typeof payload === 'string' ? payload : payload.toString('utf8');
  writeJson(ctx.res, 200, headers, payload);
  storeJsonAnswer(ctx, payload);
}

export function respond(ctx: RequestContext): void | Promise<void> {
  if (ctx.stream) return relayStream(ctx, clientWantsUsage(ctx.body));
  return respondJson(ctx);
}
