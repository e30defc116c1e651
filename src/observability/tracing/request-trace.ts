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
import { context as otelContext, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { IncomingHttpHeaders } from 'node:http';
import type { UsageEvent } from '../../metering/usage-event.js';

const OPERATION_NAME: Record<string, string> = { chat: 'chat', completions: 'text_completion', embeddings: 'embeddings', passthrough: 'passthrough' };

const headerGetter = {
  keys: (h: IncomingHttpHeaders) => Object.keys(h),
  get: (h: IncomingHttpHeaders, key: string) => h[key],
};
const headerSetter = { set: (h: Record<string, string>, key: string, value: string) => { h[key] = value; } };

export interface AttemptTarget {
  id: string;
  model: string;
  provider: { name: string };
}

export class RequestTrace {
  private readonly span: Span;
  private attempt: Span | undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly propagator: W3CTraceContextPropagator,
    headers: IncomingHttpHeaders,
    operation: string,
    requestId: string,
    /** Add the attributes Langfuse maps (generation type, cost, request id in metadata). */
    private readonly langfuse = false,
  ) {
    // An invalid traceparent extracts to nothing, so the request starts a new trace (B6).
    const parent = headers.traceparent === undefined ? ROOT_CONTEXT : propagator.extract(ROOT_CONTEXT, headers, headerGetter);
    const name = OPERATION_NAME[operation] ?? operation;
    this.span = tracer.startSpan(name, { kind: SpanKind.SERVER, attributes: { 'gen_ai.operation.name': name, 'tollgate.request_id': requestId } }, parent);
  }

  get traceId(): string {
    return this.span.spanContext().traceId;
  }

  /** Starts the attempt's CLIENT span and writes its `traceparent` into the upstream headers. */
  startAttempt(target: AttemptTarget, attempt: number, upstreamHeaders: Record<string, string>): void {
    this.attempt?.end();
    const parent = trace.setSpan(otelContext.active(), this.span);
    this.attempt = this.tracer.startSpan(`upstream ${target.model}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'gen_ai.provider.name': target.provider.name, 'gen_ai.request.model': target.model, 'tollgate.target': target.id, 'tollgate.attempt': attempt },
    }, parent);
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, this.attempt), upstreamHeaders, headerSetter);
  }

  /** Ends the open attempt span, failed when `errorCode` is given. */
  endAttempt(errorCode: string | undefined, upstreamStatus?: number): void {
    const span = this.attempt;
    if (!span) return;
    this.attempt = undefined;
    if (upstreamStatus !== undefined) span.setAttribute('http.response.status_code', upstreamStatus);
    if (errorCode !== undefined) {
      span.setAttribute('error.type', errorCode);
      span.setStatus({ code: SpanStatusCode.ERROR, message: errorCode });
    }
    span.end();
  }

  /** A retry, fallback or breaker trip, as an event on the request span. */
  event(name: 'retry' | 'fallback' | 'breaker_open' | 'breaker_skip', target: string, detail?: Attributes): void {
    this.span.addEvent(`tollgate.${name}`, { 'tollgate.target': target, ...detail });
  }

  end(e: UsageEvent): void {
    this.endAttempt(e.errorCode ?? undefined);
    const a: Attributes = {
      'http.response.status_code': e.status,
      'tollgate.attempts': e.attempts,
      'tollgate.fallback_index': e.fallbackIndex,
      'gen_ai.usage.input_tokens': e.tokensIn,
      'gen_ai.usage.output_tokens': e.tokensOut,
    };
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
    if (this.langfuse) {
      // A generation observation with its total cost, and the gateway's request id in its metadata.
      a['langfuse.observation.type'] = 'generation';
      a['langfuse.observation.metadata.request_id'] = e.requestId;
      if (e.costMicros !== null) a['gen_ai.usage.cost'] = e.costMicros / 1e6;
    }
    this.span.setAttributes(a);
    if (e.errorCode !== null) {
      this.span.setAttribute('error.type', e.errorCode);
      this.span.setStatus({ code: SpanStatusCode.ERROR, message: e.errorCode });
    }
    this.span.end();
  }
}
