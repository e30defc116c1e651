/**
 * The spans of one request: a SERVER span for the request (continuing an incoming W3C
 * `traceparent`, or a new trace when there is none or it is invalid) and a CLIENT child span per
 * upstream attempt, whose context is sent upstream as `traceparent`. Retries, fallbacks and
 * breaker trips become span events. At the end the request span gets GenAI semantic-convention
 * attributes (gen_ai.*), cost, cache status and the request id from the UsageEvent.
 *
 * Prompt and completion text are attached only when the event carries a payload (a tenant
 * opted in to payload logging), and then already masked by the event builder.
 */
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags, type Attributes, type SpanContext } from '@opentelemetry/api';
import type { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { IncomingHttpHeaders } from 'node:http';
import type { UsageEvent } from '../../metering/usage-event.js';
import { randomId, SpanRecord, type SpanOrigin } from './span-record.js';

const OPERATION_NAME: Record<string, string> = { chat: 'chat', completions: 'text_completion', embeddings: 'embeddings', passthrough: 'passthrough' };

const headerGetter = {
  keys: (h: IncomingHttpHeaders) => Object.keys(h),
  get: (h: IncomingHttpHeaders, key: string) => h[key],
};

/** Where a request's spans come from and go to (gateway-tracing.ts). */
export interface SpanSink extends SpanOrigin {
  readonly propagator: W3CTraceContextPropagator;
  /** Whether a new trace (one without a valid incoming parent) is recorded. */
  sampleRoot(traceId: string): boolean;
  /** An ended span of a sampled trace, for every exporter's batch. */
  export(span: ReadableSpan): void;
}

export interface AttemptTarget {
  id: string;
  model: string;
  provider: { name: string };
}

/** The incoming parent when `traceparent` is valid (an invalid one starts a new trace, B6). */
function incomingParent(sink: SpanSink, headers: IncomingHttpHeaders): SpanContext | undefined {
  if (headers.traceparent === undefined) return undefined;
  return trace.getSpanContext(sink.propagator.extract(ROOT_CONTEXT, headers, headerGetter));
}

export class RequestTrace {
  private readonly span: SpanRecord;
  private readonly sampled: boolean;
  private attempt: SpanRecord | undefined;

  constructor(
    private readonly sink: SpanSink,
    headers: IncomingHttpHeaders,
    operation: string,
    requestId: string,
    /** Add the attributes Langfuse maps (generation type, cost, request id in metadata). */
    private readonly langfuse = false,
  ) {
    const parent = incomingParent(sink, headers);
    const traceId = parent?.traceId ?? randomId(16);
    // Parent-based: a caller's sampling decision is kept; a new trace asks the ratio sampler.
    this.sampled = parent ? (parent.traceFlags & TraceFlags.SAMPLED) !== 0 : sink.sampleRoot(traceId);
    const context: SpanContext = { traceId, spanId: randomId(8), traceFlags: this.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE, traceState: parent?.traceState };
    const name = OPERATION_NAME[operation] ?? operation;
    this.span = new SpanRecord(name, SpanKind.SERVER, context, parent, { 'gen_ai.operation.name': name, 'tollgate.request_id': requestId }, sink);
  }

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  /** Starts the attempt's CLIENT span and writes its `traceparent` into the upstream headers. */
  startAttempt(target: AttemptTarget, attempt: number, upstreamHeaders: Record<string, string>): void {
    this.endAttempt(undefined);
    const parent = this.span.spanContext();
    const context: SpanContext = { traceId: parent.traceId, spanId: randomId(8), traceFlags: parent.traceFlags, traceState: parent.traceState };
    this.attempt = new SpanRecord(`upstream ${target.model}`, SpanKind.CLIENT, context, parent, {
      'gen_ai.provider.name': target.provider.name, 'gen_ai.request.model': target.model, 'tollgate.target': target.id, 'tollgate.attempt': attempt,
    }, this.sink);
    upstreamHeaders.traceparent = `00-${context.traceId}-${context.spanId}-0${context.traceFlags}`;
    const state = context.traceState?.serialize();
    if (state) upstreamHeaders.tracestate = state;
  }

  /** Ends the open attempt span, failed when `errorCode` is given. */
  endAttempt(errorCode: string | undefined, upstreamStatus?: number): void {
    const span = this.attempt;
    if (!span) return;
    this.attempt = undefined;
    if (upstreamStatus !== undefined) span.attributes['http.response.status_code'] = upstreamStatus;
    if (errorCode !== undefined) span.fail(errorCode);
    this.finish(span);
  }

  /** A retry, fallback or breaker trip, as an event on the request span. */
  event(name: 'retry' | 'fallback' | 'breaker_open' | 'breaker_skip', target: string, detail?: Attributes): void {
    if (this.sampled) this.span.addEvent(`tollgate.${name}`, { 'tollgate.target': target, ...detail });
  }

  private finish(span: SpanRecord): void {
    if (span.ended) return;
    span.end();
    if (this.sampled) this.sink.export(span);
  }

  /** Closes the request span with the UsageEvent's attributes; once (later calls do nothing). */
  end(e: UsageEvent): void {
    if (this.span.ended) return;
    this.endAttempt(e.errorCode ?? undefined);
    if (this.sampled) addEndAttributes(this.span.attributes, e, this.langfuse);
    if (e.errorCode !== null) this.span.fail(e.errorCode);
    this.finish(this.span);
  }
}

/**
 * The request span's closing attributes: GenAI conventions, cost, cache and labels, written
 * straight onto the span's own attributes (a separate object merged with Object.assign cost a
 * second object and a copy per request).
 */
function addEndAttributes(a: Attributes, e: UsageEvent, langfuse: boolean): void {
  a['http.response.status_code'] = e.status;
  a['tollgate.attempts'] = e.attempts;
  a['tollgate.fallback_index'] = e.fallbackIndex;
  a['gen_ai.usage.input_tokens'] = e.tokensIn;
  a['gen_ai.usage.output_tokens'] = e.tokensOut;
  if (e.provider !== null) a['gen_ai.provider.name'] = e.provider;
  if (e.model !== null) a['gen_ai.response.model'] = e.model;
  if (e.routeAlias !== null) a['gen_ai.request.model'] = e.routeAlias;
  else if (e.model !== null) a['gen_ai.request.model'] = e.model;
  if (e.costMicros !== null) a['tollgate.cost_usd'] = e.costMicros / 1e6;
  if (e.cacheStatus !== null) a['tollgate.cache_status'] = e.cacheStatus;
  if (e.ttftMs !== null) a['tollgate.ttft_ms'] = e.ttftMs;
  if (e.operation !== null) a['tollgate.operation'] = e.operation;
  if (e.tenant !== null) a['tollgate.tenant'] = e.tenant;
  if (e.payload?.request) a['gen_ai.input.messages'] = e.payload.request;
  if (e.payload?.response) a['gen_ai.output.messages'] = e.payload.response;
  if (langfuse) {
    // A generation observation with its total cost, and the gateway's request id in its metadata.
    a['langfuse.observation.type'] = 'generation';
    a['langfuse.observation.metadata.request_id'] = e.requestId;
    if (e.costMicros !== null) a['gen_ai.usage.cost'] = e.costMicros / 1e6;
  }
}
