/**
 * Translates a successful answer of the native run API (`{result, success, errors, messages}`)
 * into the OpenAI object the client asked for: chat.completion, text_completion or an
 * embeddings list. Usage comes from `result.usage` when the model reports it; embeddings never
 * carry usage, so none is claimed. A 200 whose envelope says `success:false`, or that has no
 * usable result, becomes a GatewayError rather than a 200 carrying an error.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { gatewayErrorForStatus } from '../openai-shared/errors.js';
import { usageFromOpenAI } from '../openai-shared/usage.js';
import type { BuildInput, StreamOptions, TranslatedResponse } from '../types.js';
import { float32Base64 } from './embedding-encoding.js';
import { reportedError } from './errors.js';
import { chatCompletion, embeddingList, textCompletion, type ObjectContext } from './openai-objects.js';
import { openAIToolCalls } from './tool-calls.js';

function badResponse(detail: string): GatewayError {
  return new GatewayError('upstream_bad_response', { detail });
}

/** Whether a parsed body is the run API's envelope rather than an OpenAI-format answer. */
export function isRunEnvelope(json: unknown): boolean {
  return json !== null && typeof json === 'object' && ('result' in json || 'success' in json);
}

function runResult(json: unknown): Record<string, unknown> {
  const envelope = (json ?? {}) as Record<string, unknown>;
  if (envelope.success === false) {
    // The status was 200, so it says nothing; treat the failure as the provider's fault.
    throw gatewayErrorForStatus({ status: 502, headers: {}, bodyText: '' }, reportedError(envelope) ?? {});
  }
  const result = envelope.result;
  if (result === null || typeof result !== 'object') throw badResponse('Workers AI answered without a result.');
  return result as Record<string, unknown>;
}

/** JSON-mode models return the parsed object as `response`; clients expect it as text. */
function responseText(response: unknown): string {
  if (typeof response === 'string') return response;
  if (response === undefined || response === null) return '';
  return JSON.stringify(response);
}

function embeddingsResponse(input: BuildInput, result: Record<string, unknown>): TranslatedResponse {
  const data = result.data;
  if (!Array.isArray(data) || !data.every((v) => Array.isArray(v))) {
    throw badResponse('Workers AI answered an embeddings call without vectors.');
  }
  const vectors = data as number[][];
  const wantsBase64 = input.body.encoding_format === 'base64';
  const encoded = wantsBase64 ? vectors.map((v) => float32Base64(v)) : vectors;
  return { body: embeddingList(input.model, encoded) };
}

/** Some newer models answer the run API with a complete chat.completion inside `result`. */
function openAIShapedResult(result: Record<string, unknown>): TranslatedResponse {
  const choices = result.choices as Array<Record<string, unknown>>;
  const finish = choices[0]?.finish_reason;
  return {
    body: result,
    usage: usageFromOpenAI(result.usage),
    finishReason: typeof finish === 'string' ? finish : undefined,
  };
}

function chatResponse(ctx: ObjectContext, result: Record<string, unknown>): TranslatedResponse {
  const usage = usageFromOpenAI(result.usage);
  const text = responseText(result.response);
  const toolCalls = openAIToolCalls(result.tool_calls, ctx.id);
  const finishReason = toolCalls ? 'tool_calls' : 'stop';
  const message: Record<string, unknown> = { role: 'assistant', content: toolCalls && text === '' ? null : text };
  if (toolCalls) message.tool_calls = toolCalls;
  return { body: chatCompletion(ctx, message, finishReason, usage), usage, finishReason };
}

export function translateRunResponse(input: BuildInput, json: unknown, options: StreamOptions): TranslatedResponse {
  const result = runResult(json);
  if (input.operation === 'embeddings') return embeddingsResponse(input, result);
  if (Array.isArray(result.choices)) return openAIShapedResult(result);
  const ctx: ObjectContext = { id: options.requestId, created: options.created, model: input.model };
  if (input.operation === 'chat') return chatResponse(ctx, result);
  const usage = usageFromOpenAI(result.usage);
  return { body: textCompletion(ctx, responseText(result.response), 'stop', usage), usage, finishReason: 'stop' };
}
