/**
 * OpenAI wire format answers: chat.completion and its chunk stream, text_completion (legacy
 * completions) and its stream, embeddings (float arrays or base64 float32 as the official SDK
 * requests by default), the model list and the error body. Streams follow OpenAI's sequence:
 * a role chunk, one chunk per content piece, a chunk carrying `finish_reason`, then, when the
 * request set `stream_options.include_usage`, a usage chunk with `choices: []` (every earlier
 * chunk then carries `"usage": null`), then `[DONE]`.
 *
 * Used for OpenAI, Azure OpenAI and the Workers AI OpenAI-compatible endpoints. Missing
 * required fields give a 400 the way OpenAI reports them; nothing else is validated.
 */
import { embeddingDims, embeddingInputs, embeddingVector, vectorToBase64 } from './mock-content.js';
import { joinedContent, jsonReply, outputTokens, type Frame, type Reply, type ReplyInput } from './reply.js';

interface ErrorKind {
  type: string;
  code: string;
}

const ERRORS: Readonly<Record<number, ErrorKind>> = {
  400: { type: 'invalid_request_error', code: 'invalid_request' },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'invalid_request_error', code: 'permission_denied' },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  409: { type: 'invalid_request_error', code: 'conflict' },
  413: { type: 'invalid_request_error', code: 'request_too_large' },
  422: { type: 'invalid_request_error', code: 'unprocessable_entity' },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
};

const SERVER_ERROR: ErrorKind = { type: 'server_error', code: 'server_error' };

export const MOCK_MODELS = Object.freeze(['gpt-4o', 'gpt-4o-mini', 'gpt-3.5-turbo-instruct', 'text-embedding-3-small']);

export function openaiErrorBody(status: number, message?: string, code?: string, param?: string): string {
  const kind = ERRORS[status] ?? (status >= 500 ? SERVER_ERROR : ERRORS[400]);
  const finalCode = code ?? kind.code;
  return JSON.stringify({
    error: {
      message: message ?? `Mock upstream error ${status} (${finalCode}).`,
      type: kind.type,
      param: param ?? (finalCode === 'context_length_exceeded' ? 'messages' : null),
      code: finalCode,
    },
  });
}

function missing(field: string): Reply {
  return { kind: 'json', status: 400, body: openaiErrorBody(400, `Missing required parameter: '${field}'.`, 'missing_required_parameter', field) };
}

function usageObject(input: ReplyInput): Record<string, unknown> {
  const completion = outputTokens(input);
  return {
    prompt_tokens: input.inputTokens,
    completion_tokens: completion,
    total_tokens: input.inputTokens + completion,
    prompt_tokens_details: { cached_tokens: Math.min(input.directives.cachedTokens ?? 0, input.inputTokens) },
    completion_tokens_details: { reasoning_tokens: 0 },
  };
}

function wantsUsageChunk(input: ReplyInput): boolean {
  const options = input.body.stream_options;
  return options !== null && typeof options === 'object' && (options as { include_usage?: unknown }).include_usage === true;
}

function finishReason(input: ReplyInput): string {
  return input.directives.finishReason ?? 'stop';
}

function headers(input: ReplyInput): Record<string, string> {
  return { 'x-request-id': `req_mock${input.seq}` };
}

/** Serializes the chunk list shared by chat and completions streams. */
function chunkStream(input: ReplyInput, object: string, id: string, choices: unknown[][]): Reply {
  const withUsageField = wantsUsageChunk(input);
  const frames: Frame[] = [];
  for (const choiceList of choices) {
    const chunk: Record<string, unknown> = { id, object, created: input.created, model: input.model, system_fingerprint: 'fp_mock', choices: choiceList };
    if (withUsageField) chunk.usage = null;
    frames.push({ data: JSON.stringify(chunk) });
  }
  if (withUsageField && !input.directives.noUsage) {
    const last = { id, object, created: input.created, model: input.model, system_fingerprint: 'fp_mock', choices: [], usage: usageObject(input) };
    frames.push({ data: JSON.stringify(last) });
  }
  frames.push({ data: '[DONE]', terminal: true });
  return { kind: 'sse', frames, headers: headers(input) };
}

export function openaiChat(input: ReplyInput): Reply {
  if (!Array.isArray(input.body.messages)) return missing('messages');
  const id = `chatcmpl-mock${input.seq}`;
  if (input.stream) {
    const choice = (delta: Record<string, unknown>, finish: string | null): unknown[] => [{ index: 0, delta, logprobs: null, finish_reason: finish }];
    const choices = [choice({ role: 'assistant', content: '', refusal: null }, null)];
    for (const piece of input.pieces) choices.push(choice({ content: piece }, null));
    choices.push(choice({}, finishReason(input)));
    return chunkStream(input, 'chat.completion.chunk', id, choices);
  }
  const body: Record<string, unknown> = {
    id,
    object: 'chat.completion',
    created: input.created,
    model: input.model,
    system_fingerprint: 'fp_mock',
    choices: [{
      index: 0,
      message: { role: 'assistant', content: joinedContent(input), refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: finishReason(input),
    }],
  };
  if (!input.directives.noUsage) body.usage = usageObject(input);
  return jsonReply(200, body, headers(input));
}

export function openaiCompletions(input: ReplyInput): Reply {
  if (input.body.prompt === undefined) return missing('prompt');
  const id = `cmpl-mock${input.seq}`;
  if (input.stream) {
    const choice = (text: string, finish: string | null): unknown[] => [{ text, index: 0, logprobs: null, finish_reason: finish }];
    const choices = input.pieces.map((piece) => choice(piece, null));
    choices.push(choice('', finishReason(input)));
    return chunkStream(input, 'text_completion', id, choices);
  }
  const body: Record<string, unknown> = {
    id,
    object: 'text_completion',
    created: input.created,
    model: input.model,
    system_fingerprint: 'fp_mock',
    choices: [{ text: joinedContent(input), index: 0, logprobs: null, finish_reason: finishReason(input) }],
  };
  if (!input.directives.noUsage) body.usage = usageObject(input);
  return jsonReply(200, body, headers(input));
}

export function openaiEmbeddings(input: ReplyInput): Reply {
  if (input.body.input === undefined) return missing('input');
  const dims = embeddingDims(input.body.dimensions);
  const base64 = input.body.encoding_format === 'base64';
  const data = embeddingInputs(input.body.input).map((text, index) => {
    const vector = embeddingVector(text, dims);
    return { object: 'embedding', index, embedding: base64 ? vectorToBase64(vector) : vector };
  });
  const body: Record<string, unknown> = { object: 'list', data, model: input.model };
  if (!input.directives.noUsage) {
    body.usage = { prompt_tokens: input.inputTokens, total_tokens: input.inputTokens };
  }
  return jsonReply(200, body, headers(input));
}

export function openaiModels(created: number): Reply {
  const data = MOCK_MODELS.map((id) => ({ id, object: 'model', created, owned_by: 'tollgate-mock' }));
  return jsonReply(200, { object: 'list', data });
}
