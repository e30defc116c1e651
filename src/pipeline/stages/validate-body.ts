/**
 * Parameter validation for the OpenAI-compatible endpoints. It checks only what the gateway
 * must trust (shapes it reads, and bounds that protect budgets and upstreams: max_tokens, n,
 * batch sizes); everything else is left for the provider to judge, so new provider parameters
 * pass through without a gateway release. Errors name the parameter (`param`).
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { Operation } from '../../providers/types.js';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);
const MAX_OUTPUT_TOKENS = 1_048_576;
const MAX_MESSAGES = 100_000;
const MAX_EMBEDDING_INPUTS = 2048;

function fail(param: string, detail: string): never {
  throw new GatewayError('invalid_request', { param, detail });
}

function optionalInt(body: Record<string, unknown>, key: string, min: number, max: number): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(key, `${key} must be an integer between ${min} and ${max}.`);
  }
}

function optionalNumber(body: Record<string, unknown>, key: string, min: number, max: number): void {
  const v = body[key];
  if (v === undefined || v === null) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(key, `${key} must be a number between ${min} and ${max}.`);
}

function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) fail('messages', 'messages must be a non-empty array.');
  if (messages.length > MAX_MESSAGES) fail('messages', `messages may hold at most ${MAX_MESSAGES} entries.`);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i] as Record<string, unknown> | null;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) fail(`messages[${i}]`, 'each message must be an object.');
    if (typeof m.role !== 'string' || !ROLES.has(m.role)) fail(`messages[${i}].role`, 'role must be one of system, developer, user, assistant, tool.');
    const c = m.content;
    if (c !== undefined && c !== null && typeof c !== 'string' && !Array.isArray(c)) {
      fail(`messages[${i}].content`, 'content must be a string or an array of content parts.');
    }
  }
}

function validateInput(input: unknown, param: string): void {
  if (typeof input === 'string') {
    if (input.length === 0 && param === 'input') fail(param, `${param} must not be empty.`);
    return;
  }
  if (!Array.isArray(input) || input.length === 0) fail(param, `${param} must be a string or a non-empty array.`);
  if (param === 'input' && input.length > MAX_EMBEDDING_INPUTS) fail(param, `${param} may hold at most ${MAX_EMBEDDING_INPUTS} items.`);
}

export function validateBody(operation: Operation, body: Record<string, unknown>): void {
  if (typeof body.model !== 'string' || body.model.length === 0 || body.model.length > 256) {
    fail('model', 'model must be a non-empty string such as "openai/gpt-4o-mini" or a route alias.');
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') fail('stream', 'stream must be a boolean.');
  const so = body.stream_options;
  if (so !== undefined && so !== null && (typeof so !== 'object' || Array.isArray(so))) fail('stream_options', 'stream_options must be an object.');
  if (body.user !== undefined && (typeof body.user !== 'string' || body.user.length > 256)) fail('user', 'user must be a string of at most 256 characters.');
  if (operation === 'embeddings') {
    validateInput(body.input, 'input');
    return;
  }
  if (operation === 'chat') validateMessages(body.messages);
  else validateInput(body.prompt, 'prompt');
  optionalInt(body, 'max_tokens', 1, MAX_OUTPUT_TOKENS);
  optionalInt(body, 'max_completion_tokens', 1, MAX_OUTPUT_TOKENS);
  optionalInt(body, 'n', 1, 128);
  optionalNumber(body, 'temperature', 0, 2);
  optionalNumber(body, 'top_p', 0, 1);
}
