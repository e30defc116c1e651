/**
 * Translates a Messages API event stream into OpenAI `chat.completion.chunk` payloads, one
 * provider event at a time and without buffering: text deltas become content deltas, tool-use
 * blocks become indexed `tool_calls` deltas, `message_delta` carries the finish reason, and
 * `message_stop` ends the stream (after a usage chunk if the client asked for one).
 *
 * Usage is tracked cumulatively (input counts arrive first, output counts later) and reported
 * on every step that changes it, so a stream cut half-way can still be billed for what was
 * delivered. Pings, block stops, thinking deltas and event types added later produce nothing.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import type { SseEvent } from '../../upstream/sse-parser.js';
import type { BuildInput, StreamOptions, StreamStep, StreamTranslator } from '../types.js';
import { streamError } from './errors.js';
import { finishReasonFor } from './finish-reason.js';
import { gatewayUsage, mergeTokenCounts, NO_TOKENS, openAIUsage, type TokenCounts } from './usage.js';
import { countOf, isObject, stringOf, type JsonObject } from './wire-json.js';

function parseEvent(data: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new GatewayError('upstream_bad_response', { detail: 'The provider sent a malformed stream event.' });
  }
  if (!isObject(parsed)) throw new GatewayError('upstream_bad_response', { detail: 'The provider sent a malformed stream event.' });
  return parsed;
}

export class AnthropicStreamTranslator implements StreamTranslator {
  private id: string;
  private model: string;
  private counts: TokenCounts = { ...NO_TOKENS };
  /** Provider content-block index → OpenAI tool-call index (tool calls count from 0). */
  private readonly toolIndex = new Map<number, number>();

  constructor(input: BuildInput, private readonly options: StreamOptions) {
    this.id = options.requestId;
    this.model = input.model;
  }

  push(event: SseEvent): StreamStep {
    const data = parseEvent(event.data);
    switch (stringOf(data.type) ?? event.event) {
      case 'message_start': return this.messageStart(data);
      case 'content_block_start': return this.blockStart(data);
      case 'content_block_delta': return this.blockDelta(data);
      case 'message_delta': return this.messageDelta(data);
      case 'message_stop': return this.messageStop();
      case 'error': return { error: streamError(data) };
      default: return {};
    }
  }

  private messageStart(data: JsonObject): StreamStep {
    const message = isObject(data.message) ? data.message : {};
    this.id = stringOf(message.id) ?? this.id;
    this.model = stringOf(message.model) ?? this.model;
    this.counts = mergeTokenCounts(this.counts, message.usage);
    return { emit: [this.chunk({ role: 'assistant', content: '' })], usage: gatewayUsage(this.counts) };
  }

  private blockStart(data: JsonObject): StreamStep {
    const block = isObject(data.content_block) ? data.content_block : {};
    if (block.type === 'text') {
      const text = stringOf(block.text) ?? '';
      return text.length > 0 ? { emit: [this.chunk({ content: text })] } : {};
    }
    if (block.type !== 'tool_use') return {};
    const index = this.toolIndex.size;
    this.toolIndex.set(countOf(data.index) ?? index, index);
    const call = {
      index,
      id: stringOf(block.id) ?? '',
      type: 'function',
      function: { name: stringOf(block.name) ?? '', arguments: '' },
    };
    return { emit: [this.chunk({ tool_calls: [call] })] };
  }

  private blockDelta(data: JsonObject): StreamStep {
    const delta = isObject(data.delta) ? data.delta : {};
    if (delta.type === 'text_delta') {
      const text = stringOf(delta.text) ?? '';
      return text.length > 0 ? { emit: [this.chunk({ content: text })] } : {};
    }
    if (delta.type !== 'input_json_delta') return {};
    const partial = stringOf(delta.partial_json) ?? '';
    const index = this.toolIndex.get(countOf(data.index) ?? -1);
    if (partial.length === 0 || index === undefined) return {};
    return { emit: [this.chunk({ tool_calls: [{ index, function: { arguments: partial } }] })] };
  }

  private messageDelta(data: JsonObject): StreamStep {
    this.counts = mergeTokenCounts(this.counts, data.usage);
    const usage = gatewayUsage(this.counts);
    const delta = isObject(data.delta) ? data.delta : {};
    if (typeof delta.stop_reason !== 'string') return { usage };
    return { emit: [this.chunk({}, finishReasonFor(delta.stop_reason))], usage };
  }

  private messageStop(): StreamStep {
    const step: StreamStep = { usage: gatewayUsage(this.counts), done: true };
    if (this.options.clientWantsUsage) {
      step.emit = [JSON.stringify({ ...this.envelope(), choices: [], usage: openAIUsage(this.counts) })];
    }
    return step;
  }

  private envelope(): JsonObject {
    return { id: this.id, object: 'chat.completion.chunk', created: this.options.created, model: this.model };
  }

  private chunk(delta: JsonObject, finishReason: string | null = null): string {
    return JSON.stringify({ ...this.envelope(), choices: [{ index: 0, delta, finish_reason: finishReason }] });
  }
}
