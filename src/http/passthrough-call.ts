/**
 * Turns a native pass-through request into the facts the guard stage and metering read on
 * every request: the parsed body, the model (`provider/model`), the operation, the stream flag
 * and the one target. The provider knowledge (which paths are billable model calls, where the
 * model is named) is the adapter's `passthroughCall`; this module only applies it.
 *
 * A call the adapter cannot describe keeps an empty model, so its cost stays unknown; a
 * request without a body (a GET such as a model list) gets no candidate target, so a budget
 * reserves nothing for it, while a body the adapter cannot price makes a budget refuse it
 * (docs/access-control.md#native-pass-through).
 */
import type { RuntimeProvider } from '../config/compile.js';
import { readLabels } from '../metering/request-labels.js';
import type { RequestContext, ResolvedTarget } from '../pipeline/context.js';
import type { BuildInput, NativeAnswerReader, PassthroughCall } from '../providers/types.js';

/** The adapter input a native answer is read with, and the call's own reader if it has one. */
export interface NativeCall {
  input: BuildInput;
  answer?: NativeAnswerReader;
}

/** The request body as a JSON object; anything else (binary, form, broken JSON) reads as empty. */
export function nativeBody(raw: Buffer | undefined): Record<string, unknown> {
  // A cheap first-byte test keeps binary uploads (audio, files) away from JSON.parse.
  if (!raw || raw.length < 2 || raw[0] !== 0x7b) return {};
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : {};
  } catch {
    return {};
  }
}

/** Fills the context from the native call; returns what its answer is read with. */
export function describeNativeCall(ctx: RequestContext, provider: RuntimeProvider, path: string, method: string): NativeCall | undefined {
  const body = nativeBody(ctx.rawBody);
  ctx.labels = readLabels(ctx.req.headers, body);
  const call: PassthroughCall | undefined = method === 'POST' ? provider.adapter.passthroughCall(provider.settings, path, body) : undefined;
  // What the worst-case bound and the tokenizer estimate read; the wire bytes stay the client's.
  ctx.body = call?.estimateBody ?? body;
  const target: ResolvedTarget = {
    id: call ? `${provider.name}/${call.model}` : provider.name,
    providerTrusted: false,
    weight: 1,
    when: undefined,
    provider,
    model: call?.model ?? '',
    // The native output cap, wherever the API spells it, is what the worst-case cost prices.
    params: call?.maxOutputTokens !== undefined ? { max_tokens: call.maxOutputTokens } : undefined,
  };
  ctx.target = target;
  ctx.targets = call || ctx.rawBody?.length ? [target] : [];
  if (!call) return undefined;
  ctx.operation = call.operation;
  ctx.stream = call.stream;
  ctx.requestedModel = target.id;
  return { input: { operation: call.operation, model: call.model, body: ctx.body, stream: call.stream }, answer: call.answer };
}
