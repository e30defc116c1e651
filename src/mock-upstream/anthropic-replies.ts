/**
 * Anthropic Messages API answers. Non-stream: one `message` object. Stream: the real event
 * sequence `message_start` (usage with input tokens and output_tokens 1, as Anthropic sends),
 * `content_block_start`, `ping`, one `content_block_delta` per piece, `content_block_stop`,
 * `message_delta` (stop_reason and the cumulative output_tokens = N), `message_stop`.
 *
 * Tool use: when the request has `tools` and the last user message contains the word
 * "weather", the answer is a `tool_use` block for the first tool with input
 * `WEATHER_TOOL_INPUT`, streamed as `input_json_delta` pieces (the JSON cut into N pieces), and
 * stop_reason `tool_use`. The `finishReason` directive is mapped to Anthropic's stop reasons.
 * Requests without `messages` or `max_tokens` get Anthropic's 400 invalid_request_error.
 */
import { contentPieces } from './mock-content.js';
import { joinedContent, jsonReply, type Frame, type Reply, type ReplyInput } from './reply.js';

export const WEATHER_TOOL_INPUT = Object.freeze({ location: 'Paris, France', unit: 'celsius' });

const ERROR_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

const STOP_REASONS: Readonly<Record<string, string>> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
};

export function anthropicErrorBody(status: number, message?: string, type?: string): string {
  const errorType = type ?? ERROR_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return JSON.stringify({ type: 'error', error: { type: errorType, message: message ?? `Mock upstream error ${status} (${errorType}).` } });
}

interface ToolCall {
  id: string;
  name: string;
  json: string;
}

function lastUserText(messages: unknown[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as { role?: unknown; content?: unknown } | null;
    if (!m || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (!Array.isArray(m.content)) return '';
    return m.content.map((p: { text?: unknown } | null) => (p && typeof p.text === 'string' ? p.text : '')).join(' ');
  }
  return '';
}

function toolCall(input: ReplyInput, messages: unknown[]): ToolCall | undefined {
  const tools = input.body.tools;
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  if (!/\bweather\b/i.test(lastUserText(messages))) return undefined;
  const first = tools[0] as { name?: unknown } | null;
  const name = first && typeof first.name === 'string' ? first.name : 'get_weather';
  return { id: `toolu_mock${input.seq}`, name, json: JSON.stringify(WEATHER_TOOL_INPUT) };
}

function stopReason(input: ReplyInput, tool: ToolCall | undefined): string {
  const wanted = input.directives.finishReason;
  if (wanted !== undefined) return STOP_REASONS[wanted] ?? wanted;
  return tool ? 'tool_use' : 'end_turn';
}

function usage(input: ReplyInput, output: number): Record<string, number> {
  return { input_tokens: input.inputTokens, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: output };
}

function frame(type: string, payload: Record<string, unknown>, terminal?: boolean): Frame {
  const f: Frame = { event: type, data: JSON.stringify({ type, ...payload }) };
  if (terminal) f.terminal = true;
  return f;
}

function streamFrames(input: ReplyInput, tool: ToolCall | undefined, pieces: readonly string[]): Frame[] {
  const noUsage = input.directives.noUsage === true;
  const message: Record<string, unknown> = {
    id: `msg_mock${input.seq}`, type: 'message', role: 'assistant', model: input.model, content: [], stop_reason: null, stop_sequence: null,
  };
  if (!noUsage) message.usage = usage(input, 1);
  const block = tool ? { type: 'tool_use', id: tool.id, name: tool.name, input: {} } : { type: 'text', text: '' };
  const frames = [frame('message_start', { message }), frame('content_block_start', { index: 0, content_block: block }), frame('ping', {})];
  for (const piece of pieces) {
    const delta = tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece };
    frames.push(frame('content_block_delta', { index: 0, delta }));
  }
  frames.push(frame('content_block_stop', { index: 0 }));
  const end: Record<string, unknown> = { delta: { stop_reason: stopReason(input, tool), stop_sequence: null } };
  if (!noUsage) end.usage = { output_tokens: pieces.length };
  frames.push(frame('message_delta', end), frame('message_stop', {}, true));
  return frames;
}

export function anthropicMessages(input: ReplyInput): Reply {
  const messages = input.body.messages;
  if (!Array.isArray(messages)) return { kind: 'json', status: 400, body: anthropicErrorBody(400, 'messages: Field required') };
  if (input.body.max_tokens === undefined) return { kind: 'json', status: 400, body: anthropicErrorBody(400, 'max_tokens: Field required') };
  const tool = toolCall(input, messages);
  const pieces = tool ? contentPieces(tool.json, input.pieces.length) : input.pieces;
  const headers = { 'request-id': `req_mock${input.seq}` };
  if (input.stream) return { kind: 'sse', frames: streamFrames(input, tool, pieces), headers };
  const content = tool
    ? [{ type: 'tool_use', id: tool.id, name: tool.name, input: WEATHER_TOOL_INPUT }]
    : [{ type: 'text', text: joinedContent(input) }];
  const body: Record<string, unknown> = {
    id: `msg_mock${input.seq}`, type: 'message', role: 'assistant', model: input.model, content,
    stop_reason: stopReason(input, tool), stop_sequence: null,
  };
  if (!input.directives.noUsage) body.usage = usage(input, pieces.length);
  return jsonReply(200, body, headers);
}

export function anthropicModels(): Reply {
  const data = ['claude-sonnet-4-5', 'claude-haiku-4-5'].map((id) => ({ type: 'model', id, display_name: id, created_at: '2025-01-01T00:00:00Z' }));
  return jsonReply(200, { data, has_more: false, first_id: data[0].id, last_id: data[data.length - 1].id });
}
