/**
 * Describes a native Responses API call (`POST …/responses`) for guarding and metering: the
 * model and stream flag from the body, the output cap from `max_output_tokens`, and an
 * estimate body in chat shape, since the input bound and the tokenizer estimate read
 * `messages`. `instructions` becomes a system message and each `input` item the message it
 * stands for: messages keep their content (string or parts), a function call becomes an
 * assistant tool call, a function call output a tool message, and any other item (reasoning,
 * tool results, references) counts as its JSON text, which errs high.
 *
 * It does not validate the body (the provider does) and never changes what is sent.
 */
import { callFor, positiveInt } from '../passthrough-call.js';
import type { PassthroughCall } from '../types.js';
import { RESPONSES_ANSWER } from './responses-answer.js';

type Message = Record<string, unknown>;

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

function messageOf(item: unknown): Message | undefined {
  if (typeof item === 'string') return { role: 'user', content: item };
  if (item === null || typeof item !== 'object') return undefined;
  const it = item as Record<string, unknown>;
  if ((it.type === undefined || it.type === 'message') && typeof it.role === 'string') {
    return { role: it.role, content: it.content };
  }
  if (it.type === 'function_call') {
    return { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: it.name, arguments: it.arguments } }] };
  }
  if (it.type === 'function_call_output') return { role: 'tool', content: textOf(it.output) };
  return { role: 'user', content: textOf(item) };
}

/** The Responses input as chat messages, for estimates only. */
export function responsesMessages(body: Readonly<Record<string, unknown>>): Message[] {
  const messages: Message[] = [];
  if (typeof body.instructions === 'string' && body.instructions.length > 0) messages.push({ role: 'system', content: body.instructions });
  const input = body.input;
  if (typeof input === 'string') messages.push({ role: 'user', content: input });
  else if (Array.isArray(input)) {
    for (const item of input) {
      const m = messageOf(item);
      if (m) messages.push(m);
    }
  }
  return messages;
}

export function responsesCall(body: Readonly<Record<string, unknown>>, model: unknown = body.model): PassthroughCall | undefined {
  const call = callFor('chat', body, model);
  if (!call) return undefined;
  call.maxOutputTokens = positiveInt(body.max_output_tokens);
  call.estimateBody = { ...body, messages: responsesMessages(body) };
  call.answer = RESPONSES_ANSWER;
  return call;
}
