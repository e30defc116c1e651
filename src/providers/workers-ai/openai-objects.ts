/**
 * Builders for the OpenAI-shaped objects the Workers AI run mode has to synthesise, because
 * the run API answers in its own envelope: chat.completion, text_completion, their stream
 * chunks, the usage chunk and the embeddings list. Shapes only; deciding what goes in them is
 * run-response.ts and run-stream.ts.
 */
import type { Operation, Usage } from '../types.js';

/** The fields every synthesised object repeats. */
export interface ObjectContext {
  id: string;
  created: number;
  model: string;
}

export function openAIUsage(usage: Usage): Record<string, number> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function withUsage(body: Record<string, unknown>, usage: Usage | undefined): Record<string, unknown> {
  if (usage) body.usage = openAIUsage(usage);
  return body;
}

export function chatCompletion(
  ctx: ObjectContext, message: Record<string, unknown>, finishReason: string, usage: Usage | undefined,
): Record<string, unknown> {
  return withUsage({
    id: ctx.id, object: 'chat.completion', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
  }, usage);
}

export function textCompletion(
  ctx: ObjectContext, text: string, finishReason: string, usage: Usage | undefined,
): Record<string, unknown> {
  return withUsage({
    id: ctx.id, object: 'text_completion', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
  }, usage);
}

export function chatChunk(ctx: ObjectContext, delta: Record<string, unknown>, finishReason: string | null): string {
  return JSON.stringify({
    id: ctx.id, object: 'chat.completion.chunk', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });
}

/** OpenAI streams legacy completions as `text_completion` objects, one text piece each. */
export function textChunk(ctx: ObjectContext, text: string, finishReason: string | null): string {
  return JSON.stringify({
    id: ctx.id, object: 'text_completion', created: ctx.created, model: ctx.model,
    choices: [{ index: 0, text, logprobs: null, finish_reason: finishReason }],
  });
}

/** The trailing chunk with empty `choices` that `stream_options.include_usage` asks for. */
export function usageChunk(ctx: ObjectContext, operation: Operation, usage: Usage): string {
  const object = operation === 'completions' ? 'text_completion' : 'chat.completion.chunk';
  return JSON.stringify({
    id: ctx.id, object, created: ctx.created, model: ctx.model, choices: [], usage: openAIUsage(usage),
  });
}

export function embeddingList(model: string, embeddings: ReadonlyArray<number[] | string>): Record<string, unknown> {
  return {
    object: 'list',
    data: embeddings.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model,
    // Workers AI reports no token counts for embeddings; zeros keep the field clients read
    // present, and the gateway's own metering estimates the real count.
    usage: { prompt_tokens: 0, total_tokens: 0 },
  };
}
