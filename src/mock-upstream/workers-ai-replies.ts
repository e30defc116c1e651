/**
 * Cloudflare Workers AI native answers (`/ai/run/{model}`), wrapped in Cloudflare's API
 * envelope `{result, success, errors, messages}`. Text generation takes `messages` or
 * `prompt`; its stream is data-only SSE, one `{"response": piece, "p": padding}` event per
 * piece, then a `{"response": "", "usage": {…}}` event (omitted under `noUsage`), then
 * `[DONE]`. Embedding models (`bge`/`embedding` in the name) take `text` (string or array)
 * and answer `{shape: [n, dims], data}`.
 *
 * Error bodies use Workers AI's internal codes for the statuses it documents (e.g. 3040 for
 * capacity 429s) and the HTTP status itself otherwise; `errorCode` overrides (numeric strings
 * become numbers, as Cloudflare sends them).
 */
import { embeddingDims, embeddingInputs, embeddingVector } from './mock-content.js';
import { joinedContent, jsonReply, outputTokens, type Frame, type Reply, type ReplyInput } from './reply.js';

const ERROR_CODES: Readonly<Record<number, number>> = {
  400: 3003,
  403: 3023,
  404: 3042,
  408: 3007,
  413: 3006,
  429: 3040,
};

const PADDING = 'abcdefghijklmnop';

export function workersAiErrorBody(status: number, message?: string, code?: string): string {
  const finalCode = code === undefined ? ERROR_CODES[status] ?? status : /^\d+$/.test(code) ? Number(code) : code;
  return JSON.stringify({
    result: null,
    success: false,
    errors: [{ code: finalCode, message: message ?? `AiError: mock upstream error ${status}` }],
    messages: [],
  });
}

function envelope(result: unknown): Record<string, unknown> {
  return { result, success: true, errors: [], messages: [] };
}

function usage(input: ReplyInput): Record<string, number> {
  const completion = outputTokens(input);
  return { prompt_tokens: input.inputTokens, completion_tokens: completion, total_tokens: input.inputTokens + completion };
}

function badRequest(message: string): Reply {
  return { kind: 'json', status: 400, body: workersAiErrorBody(400, message) };
}

/** The model catalogue search (`GET …/ai/models/search`), one entry per mock chat model. */
export function workersAiModels(): Reply {
  const result = ['@cf/meta/llama-3.1-8b-instruct', '@cf/baai/bge-base-en-v1.5'].map((name, i) => ({ id: `mock-${i}`, name, task: { name: i === 0 ? 'Text Generation' : 'Text Embeddings' } }));
  return { kind: 'json', status: 200, body: JSON.stringify(envelope(result)) };
}

export function workersAiText(input: ReplyInput): Reply {
  if (!Array.isArray(input.body.messages) && typeof input.body.prompt !== 'string') {
    return badRequest('AiError: Bad input: must have required property \'prompt\' or \'messages\'');
  }
  if (input.stream) {
    const frames: Frame[] = input.pieces.map((piece, i) => ({
      data: JSON.stringify({ response: piece, p: PADDING.slice(0, 1 + (i % PADDING.length)) }),
    }));
    if (!input.directives.noUsage) frames.push({ data: JSON.stringify({ response: '', usage: usage(input) }) });
    frames.push({ data: '[DONE]', terminal: true });
    return { kind: 'sse', frames };
  }
  const result: Record<string, unknown> = { response: joinedContent(input) };
  if (!input.directives.noUsage) result.usage = usage(input);
  return jsonReply(200, envelope(result));
}

export function workersAiEmbeddings(input: ReplyInput): Reply {
  if (input.body.text === undefined) return badRequest('AiError: Bad input: must have required property \'text\'');
  const texts = embeddingInputs(input.body.text);
  const dims = embeddingDims(undefined);
  return jsonReply(200, envelope({ shape: [texts.length, dims], data: texts.map((t) => embeddingVector(t, dims)), pooling: 'mean' }));
}
