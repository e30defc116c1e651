/**
 * Builds the Messages API request body from a client's OpenAI chat body: conversation and
 * tools (messages.ts, tools.ts) plus the sampling parameters both APIs share. Parameters the
 * provider lacks (logprobs, seed, penalties, response_format, …) are left out, because
 * forwarding them would make the provider reject the whole call; `n` above 1 is refused
 * instead, because ignoring it would silently return fewer choices than were asked for.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { BuildInput } from '../types.js';
import { translateMessages } from './messages.js';
import { translateTools } from './tools.js';
import { isObject, stringOf, type JsonObject } from './wire-json.js';

/** OpenAI accepts temperatures up to 2, the provider up to 1. */
const MAX_TEMPERATURE = 1;

function invalid(param: string, detail: string): GatewayError {
  return new GatewayError('invalid_request', { param, detail });
}

function maxTokens(body: Readonly<JsonObject>, fallback: number): number {
  const param = body.max_completion_tokens !== undefined && body.max_completion_tokens !== null
    ? 'max_completion_tokens' : 'max_tokens';
  const value = body[param];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw invalid(param, `${param} must be a positive integer.`);
  }
  return value;
}

function stopSequences(stop: unknown): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  const list = typeof stop === 'string' ? [stop] : Array.isArray(stop) ? stop : undefined;
  if (!list || !list.every((s) => typeof s === 'string')) {
    throw invalid('stop', 'stop must be a string or an array of strings.');
  }
  // The provider refuses whitespace-only sequences; OpenAI accepts them but they rarely matter.
  const kept = (list as string[]).filter((s) => s.trim().length > 0);
  return kept.length > 0 ? kept : undefined;
}

function samplingFields(body: Readonly<JsonObject>): JsonObject {
  const out: JsonObject = {};
  if (typeof body.temperature === 'number') out.temperature = Math.min(body.temperature, MAX_TEMPERATURE);
  if (typeof body.top_p === 'number') out.top_p = body.top_p;
  const stop = stopSequences(body.stop);
  if (stop) out.stop_sequences = stop;
  const user = stringOf(body.user);
  if (user) out.metadata = { user_id: user };
  return out;
}

function rejectUnsupported(body: Readonly<JsonObject>): void {
  if (body.n !== undefined && body.n !== null && body.n !== 1) {
    throw invalid('n', 'This provider returns exactly one choice; n must be 1.');
  }
}

export function messagesRequestBody(input: BuildInput, defaultMaxTokens: number): JsonObject {
  const body = input.body;
  if (!isObject(body)) throw invalid('body', 'The request body must be a JSON object.');
  rejectUnsupported(body);
  const { system, messages } = translateMessages(body.messages);
  const out: JsonObject = { model: input.model, max_tokens: maxTokens(body, defaultMaxTokens) };
  if (system !== undefined) out.system = system;
  out.messages = messages;
  Object.assign(out, translateTools(body), samplingFields(body));
  if (input.stream) out.stream = true;
  return out;
}
