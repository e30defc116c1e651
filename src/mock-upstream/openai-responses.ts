/**
 * OpenAI Responses API answers (`POST /v1/responses`). Non-stream: one `response` object with
 * a `message` output item holding the joined content and `usage` in the Responses spelling
 * (`input_tokens`, `output_tokens`, `input_tokens_details.cached_tokens`,
 * `output_tokens_details.reasoning_tokens`). Stream: typed events, each named on its `event:`
 * line and in `type`, with a `sequence_number`: `response.created`, `response.in_progress`,
 * `response.output_item.added`, `response.content_part.added`, one `response.output_text.delta`
 * per content piece, `response.output_text.done`, `response.content_part.done`,
 * `response.output_item.done`, then the terminal `response.completed` carrying the final
 * response with its usage. `finishReason=length` ends with `response.incomplete` instead
 * (reason `max_output_tokens`); `cachedTokens` reports that many input tokens as cached.
 *
 * A request without `model` or `input` gets OpenAI's 400. Tools, reasoning and other output
 * item types are not simulated.
 */
import { openaiErrorBody } from './openai-replies.js';
import { joinedContent, jsonReply, outputTokens, type Frame, type Reply, type ReplyInput } from './reply.js';

function usage(input: ReplyInput): Record<string, unknown> {
  const output = outputTokens(input);
  return {
    input_tokens: input.inputTokens,
    input_tokens_details: { cached_tokens: Math.min(input.directives.cachedTokens ?? 0, input.inputTokens) },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input.inputTokens + output,
  };
}

function incomplete(input: ReplyInput): boolean {
  return input.directives.finishReason === 'length';
}

function message(input: ReplyInput, text: string, status: string): Record<string, unknown> {
  return { id: `msg_mock${input.seq}`, type: 'message', status, role: 'assistant', content: text === '' && status === 'in_progress' ? [] : [outputText(text)] };
}

function outputText(text: string): Record<string, unknown> {
  return { type: 'output_text', text, annotations: [] };
}

function responseObject(input: ReplyInput, status: string, output: unknown[], withUsage: boolean): Record<string, unknown> {
  return {
    id: `resp_mock${input.seq}`,
    object: 'response',
    created_at: input.created,
    status,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: typeof input.body.instructions === 'string' ? input.body.instructions : null,
    max_output_tokens: typeof input.body.max_output_tokens === 'number' ? input.body.max_output_tokens : null,
    model: input.model,
    output,
    parallel_tool_calls: true,
    tool_choice: 'auto',
    tools: [],
    usage: withUsage && !input.directives.noUsage ? usage(input) : null,
  };
}

function streamFrames(input: ReplyInput): Frame[] {
  const frames: Frame[] = [];
  const push = (type: string, payload: Record<string, unknown>, terminal?: boolean): void => {
    const f: Frame = { event: type, data: JSON.stringify({ type, sequence_number: frames.length, ...payload }) };
    if (terminal) f.terminal = true;
    frames.push(f);
  };
  const itemId = `msg_mock${input.seq}`;
  const at = { item_id: itemId, output_index: 0, content_index: 0 };
  const text = joinedContent(input);
  push('response.created', { response: responseObject(input, 'in_progress', [], false) });
  push('response.in_progress', { response: responseObject(input, 'in_progress', [], false) });
  push('response.output_item.added', { output_index: 0, item: message(input, '', 'in_progress') });
  push('response.content_part.added', { ...at, part: outputText('') });
  for (const delta of input.pieces) push('response.output_text.delta', { ...at, delta, logprobs: [] });
  push('response.output_text.done', { ...at, text, logprobs: [] });
  push('response.content_part.done', { ...at, part: outputText(text) });
  const status = incomplete(input) ? 'incomplete' : 'completed';
  push('response.output_item.done', { output_index: 0, item: message(input, text, status) });
  const final = responseObject(input, status, [message(input, text, status)], true);
  push(status === 'incomplete' ? 'response.incomplete' : 'response.completed', { response: final }, true);
  return frames;
}

export function openaiResponses(input: ReplyInput): Reply {
  for (const field of ['model', 'input']) {
    if (input.body[field] === undefined) {
      return { kind: 'json', status: 400, body: openaiErrorBody(400, `Missing required parameter: '${field}'.`, 'missing_required_parameter', field) };
    }
  }
  const headers = { 'x-request-id': `req_mock${input.seq}` };
  if (input.stream) return { kind: 'sse', frames: streamFrames(input), headers };
  const status = incomplete(input) ? 'incomplete' : 'completed';
  return jsonReply(200, responseObject(input, status, [message(input, joinedContent(input), status)], true), headers);
}
