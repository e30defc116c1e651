/**
 * The gateway's OpenTelemetry tracing: spans recorded as plain data (span-record.ts; never the
 * global tracer provider, so tests can run several gateways), a parent-based ratio sampler, and
 * the SDK's BatchSpanProcessor per exporter — OTLP/HTTP to `tracing.otlp.endpoint` (binary
 * protobuf unless `protocol: http/json`), and Langfuse's OTLP endpoint (protobuf) with basic
 * auth when `tracing.langfuse` is set. Spans are exported off the request path in batches.
 *
 * Created once at start (a config reload does not change tracing; restart for that). With
 * tracing off there is no instance at all, so the request path pays one null check.
 */
import { W3CTraceContextPropagator, type InstrumentationScope } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, SamplingDecision, TraceIdRatioBasedSampler, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import type { IncomingHttpHeaders } from 'node:http';
import type { ComponentHealth } from '../../http/health-report.js';
import type { TracingConfig } from '../observability-config.js';
import { VERSION } from '../../version.js';
import { RecordingExporter } from './recording-exporter.js';
import { RequestTrace, type SpanSink } from './request-trace.js';
import { OPERATOR_POLICY } from '../../security/address-policy.js';
import { guardedAgentOptions } from '../../security/guarded-connect.js';

function langfuseExporter(cfg: NonNullable<TracingConfig['langfuse']>): SpanExporter {
  const auth = Buffer.from(`${cfg.publicKey}:${cfg.secretKey}`).toString('base64');
  const url = `${cfg.baseUrl.replace(/\/$/, '')}/api/public/otel/v1/traces`;
  // Langfuse's OTLP endpoint takes both encodings; protobuf is the cheaper one to produce.
  return new ProtobufTraceExporter({
    url,
    httpAgentOptions: guardedAgentOptions(url, OPERATOR_POLICY), // SSRF guard (src/security/)
    headers: { authorization: `Basic ${auth}`, 'x-langfuse-ingestion-version': '4' },
  });
}

function otlpExporter(cfg: NonNullable<TracingConfig['otlp']>): SpanExporter {
  const options = { url: cfg.endpoint, headers: cfg.headers, httpAgentOptions: guardedAgentOptions(cfg.endpoint, OPERATOR_POLICY) };
  return cfg.protocol === 'http/json' ? new JsonTraceExporter(options) : new ProtobufTraceExporter(options);
}

export class GatewayTracing implements SpanSink {
  private readonly exporters: RecordingExporter[] = [];
  private readonly processors: BatchSpanProcessor[];
  private readonly rootSampler: TraceIdRatioBasedSampler;
  private readonly sampleRatio: number;
  private readonly langfuse: boolean;
  readonly propagator = new W3CTraceContextPropagator();
  readonly resource: Resource;
  readonly scope: InstrumentationScope = { name: 'tollgate', version: VERSION };

  constructor(cfg: TracingConfig) {
    this.langfuse = cfg.langfuse !== undefined;
    if (cfg.otlp) this.exporters.push(new RecordingExporter('otlp', otlpExporter(cfg.otlp)));
    if (cfg.langfuse) this.exporters.push(new RecordingExporter('langfuse', langfuseExporter(cfg.langfuse)));
    this.processors = this.exporters.map((e) => new BatchSpanProcessor(e, { scheduledDelayMillis: cfg.batchDelayMs, maxQueueSize: 8192, maxExportBatchSize: 512 }));
    this.resource = resourceFromAttributes({ 'service.name': cfg.serviceName, 'service.version': VERSION });
    this.rootSampler = new TraceIdRatioBasedSampler(cfg.sampleRatio);
    this.sampleRatio = cfg.sampleRatio;
  }

  sampleRoot(traceId: string): boolean {
    // The ends need no hashing of the trace id: everything, or nothing.
    if (this.sampleRatio >= 1) return true;
    if (this.sampleRatio <= 0) return false;
    return this.rootSampler.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;
  }

  export(span: ReadableSpan): void {
    for (const p of this.processors) p.onEnd(span);
  }

  /** The request's trace, continuing the client's `traceparent` when it is valid. */
  startRequest(headers: IncomingHttpHeaders, operation: string, requestId: string): RequestTrace {
    return new RequestTrace(this, headers, operation, requestId, this.langfuse);
  }

  /** For /health: degraded while the last export of any exporter failed. */
  health(): ComponentHealth {
    const exporters = this.exporters.map((e) => ({ ...e.status }));
    const failing = exporters.some((e) => e.lastOk === false);
    return { status: failing ? 'degraded' : 'healthy', exporters };
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.processors.map((p) => p.forceFlush()));
  }

  /** Flushes what is queued, but never holds a shutdown longer than `maxMs` for a slow collector. */
  async shutdown(maxMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => { timer = setTimeout(resolve, maxMs); });
    try {
      const done = Promise.all(this.processors.map((p) => p.shutdown())).catch(() => undefined);
      await Promise.race([done, limit]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The tracing of a config, or undefined when it is off or has nowhere to export. */
export function openTracing(cfg: TracingConfig): GatewayTracing | undefined {
  if (!cfg.enabled || (!cfg.otlp && !cfg.langfuse)) return undefined;
  return new GatewayTracing(cfg);
}
