/**
 * Stream translator for Workers AI. The run API streams `data: {"response":"…","p":"…"}`
 * events (a late one may carry `usage`) and then `data: [DONE]`; this turns them into OpenAI
 * chunks: the first chat chunk carries `role`, `[DONE]` becomes a final chunk with
 * finish_reason, then the usage chunk when the client asked for one.
 *
 * The adapter contract gives translators no settings, so the mode is read from the stream
 * itself: as soon as an event looks like an OpenAI chunk (it has `choices`), the stream came
 * from the OpenAI-compatible endpoint and the shared OpenAI translator takes over. State lives
 * for one stream only.
 */
import { GatewayError } from '../../errors/gateway-error.js';
import { OpenAIStreamTranslator } from '../openai-shared/stream.js';
import { usageFromOpenAI } from '../openai-shared/usage.js';
import type { SseEvent } from '../../upstream/sse-parser.js';
import type { StreamOptions, StreamStep, StreamTranslator, Usage } from '../types.js';
import { reportedError } from './errors.js';
import { chatChunk, textChunk, usageChunk, type ObjectContext } from './openai-objects.js';
import { openAIToolCalls } from './tool-calls.js';

function parseEvent(data: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    throw new GatewayError('upstream_bad_response', { detail: 'Workers AI sent a malformed stream event.' });
  }
  if (parsed === null || typeof parsed !== 'object') {
    throw new GatewayError('upstream_bad_response', { detail: 'Workers AI sent a stream event that is not an object.' });
  }
  return parsed as Record<string, unknown>;
}

function interrupted(message: string | undefined): GatewayError {
  return new GatewayError('upstream_stream_interrupted', {
    detail: message ?? 'Workers AI reported an error inside the stream.',
  });
}

export class WorkersAIStreamTranslator implements StreamTranslator {
  private openai: OpenAIStreamTranslator | undefined;
  private readonly ctx: ObjectContext;
  private started = false;
  private calledTools = false;
  private finished = false;
  private usage: Usage | undefined;

  constructor(private readonly options: StreamOptions) {
    this.ctx = { id: options.requestId, created: options.created, model: options.model };
  }

  push(event: SseEvent): StreamStep {
    if (this.openai) return this.openai.push(event);
    if (this.finished) return {};
    if (event.data === '[DONE]') return this.finish();
    if (event.event === 'error') return { error: interrupted(undefined) };
    const chunk = parseEvent(event.data);
    if (Array.isArray(chunk.choices)) {
      this.openai = new OpenAIStreamTranslator(this.options);
      return this.openai.push(event);
    }
    const error = reportedError(chunk);
    if (error) return { error: interrupted(error.message) };
    const step: StreamStep = {};
    const usage = usageFromOpenAI(chunk.usage);
    if (usage) {
      this.usage = usage;
      step.usage = usage;
    }
    const emit = this.options.operation === 'completions' ? this.textPieces(chunk) : this.chatPieces(chunk);
    if (emit.length > 0) step.emit = emit;
    return step;
  }

  private chatPieces(chunk: Record<string, unknown>): string[] {
    const out: string[] = [];
    const text = typeof chunk.response === 'string' ? chunk.response : '';
    if (text !== '' || !this.started) out.push(chatChunk(this.ctx, this.delta({ content: text }), null));
    const toolCalls = openAIToolCalls(chunk.tool_calls, this.ctx.id);
    if (toolCalls) {
      this.calledTools = true;
      const indexed = toolCalls.map((call, index) => ({ index, ...call }));
      out.push(chatChunk(this.ctx, this.delta({ tool_calls: indexed }), null));
    }
    return out;
  }

  private textPieces(chunk: Record<string, unknown>): string[] {
    const text = typeof chunk.response === 'string' ? chunk.response : '';
    return text === '' ? [] : [textChunk(this.ctx, text, null)];
  }

  /** Adds `role` to the first chat delta of the stream, as OpenAI does. */
  private delta(fields: Record<string, unknown>): Record<string, unknown> {
    if (this.started) return fields;
    this.started = true;
    return { role: 'assistant', ...fields };
  }

  private finish(): StreamStep {
    this.finished = true;
    const isChat = this.options.operation !== 'completions';
    const reason = this.calledTools ? 'tool_calls' : 'stop';
    const emit = [isChat ? chatChunk(this.ctx, this.delta(this.started ? {} : { content: '' }), reason) : textChunk(this.ctx, '', reason)];
    if (this.options.clientWantsUsage && this.usage) emit.push(usageChunk(this.ctx, this.options.operation, this.usage));
    return { emit, done: true };
  }
}
