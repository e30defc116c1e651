/**
 * The gateway's OpenTelemetry tracing: spans recorded as plain data (span-record.ts; never the
 * global tracer provider, so tests can run several gateways), a parent-based ratio sampler, and
 * one batch queue per exporter — OTLP/HTTP to `tracing.otlp.endpoint` (binary protobuf unless
 * `protocol: http/json`), and Langfuse's OTLP endpoint (protobuf) with basic auth when
 * `tracing.langfuse` is set. Spans are exported off the request path in batches.
 *
 * Protobuf exporters share one encoding of each span, made when it ends (span-encoder.ts), and
 * queue bytes (encoded-span-queue.ts); the SDK's OTLP HTTP transport sends them (retries,
 * timeouts, the SSRF-guarded agent). `http/json` keeps the SDK's BatchSpanProcessor and JSON
 * exporter, which queue the span objects.
 *
 * Created once at start (a config reload does not change tracing; restart for that). With
 * tracing off there is no instance at all, so the request path pays one null check.
 */
import { W3CTraceContextPropagator, type InstrumentationScope } from '@opentelemetry/core';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPExporterBase, type OTLPExporterNodeConfigBase } from '@opentelemetry/otlp-exporter-base';
import { convertLegacyHttpOptions, createOtlpHttpExportDelegate } from '@opentelemetry/otlp-exporter-base/node-http';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { ROOT_CONTEXT } from '@opentelemetry/api';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, SamplingDecision, TraceIdRatioBasedSampler, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import type { IncomingHttpHeaders } from 'node:http';
import type { ComponentHealth } from '../../http/health-report.js';
import type { TracingConfig } from '../observability-config.js';
import { VERSION } from '../../version.js';
import { RecordingExporter } from './recording-exporter.js';
import { EncodedSpanQueue, type EncodedExporter } from './encoded-span-queue.js';
import { encodeSpan, ExportFraming } from './span-encoder.js';
import { RequestTrace, type SpanSink } from './request-trace.js';
import { OPERATOR_POLICY } from '../../security/address-policy.js';
import { guardedAgentOptions } from '../../security/guarded-connect.js';

/**
 * Export batches of up to 2,048 spans or 1 MiB: each export request costs about a millisecond
 * of CPU whatever its size (HTTP client, OTLP transport, framing), so at 512 spans, the SDK's
 * default, exports were about 3 µs of every traced request; receivers commonly take 8-10 MB.
 */
const BATCH = { maxQueue: 8192, maxBatch: 2048, maxBatchBytes: 1024 * 1024 };
/** `http/json` keeps the SDK's processor, which has no byte bound: its default batch size. */
const JSON_BATCH = 512;

/** The SDK's OTLP/HTTP protobuf transport, fed spans we encoded ourselves. */
function protobufExporter(options: OTLPExporterNodeConfigBase, framing: ExportFraming): EncodedExporter {
  const serializer = {
    serializeRequest: (spans: Buffer[]): Uint8Array => framing.request(spans),
    deserializeResponse: (data: Uint8Array) => ProtobufTraceSerializer.deserializeResponse(data),
  };
  const http = convertLegacyHttpOptions(options, 'TRACES', 'v1/traces', { 'Content-Type': 'application/x-protobuf' });
  const counted = { name: 'span' as const, countItems: (spans: Buffer[]) => spans.length };
  return new OTLPExporterBase<Buffer[]>(createOtlpHttpExportDelegate(http, serializer, 'otlp_http_span_exporter', counted, undefined));
}

function langfuseExporter(cfg: NonNullable<TracingConfig['langfuse']>, framing: ExportFraming): EncodedExporter {
  const auth = Buffer.from(`${cfg.publicKey}:${cfg.secretKey}`).toString('base64');
  const url = `${cfg.baseUrl.replace(/\/$/, '')}/api/public/otel/v1/traces`;
  // Langfuse's OTLP endpoint takes both encodings; protobuf is the cheaper one to produce.
  return protobufExporter({
    url,
    httpAgentOptions: guardedAgentOptions(url, OPERATOR_POLICY), // SSRF guard (src/security/)
    headers: { authorization: `Basic ${auth}`, 'x-langfuse-ingestion-version': '4' },
  }, framing);
}

export class GatewayTracing implements SpanSink {
  private readonly exporters: Array<RecordingExporter<{ length: number }>> = [];
  private readonly queues: EncodedSpanQueue[] = [];
  private readonly processors: BatchSpanProcessor[] = [];
  private readonly rootSampler: TraceIdRatioBasedSampler;
  private readonly sampleRatio: number;
  private readonly langfuse: boolean;
  readonly propagator = new W3CTraceContextPropagator();
  readonly resource: Resource;
  readonly scope: InstrumentationScope = { name: 'tollgate', version: VERSION };

  constructor(cfg: TracingConfig) {
    this.langfuse = cfg.langfuse !== undefined;
    this.resource = resourceFromAttributes({ 'service.name': cfg.serviceName, 'service.version': VERSION });
    const framing = new ExportFraming({ resource: this.resource, scope: this.scope });
    const queue = (name: string, exporter: EncodedExporter): void => {
      const recorded = new RecordingExporter(name, exporter);
      const q = new EncodedSpanQueue(recorded, { delayMs: cfg.batchDelayMs, ...BATCH });
      recorded.dropped = () => q.dropped;
      this.exporters.push(recorded);
      this.queues.push(q);
    };
    const otlp = cfg.otlp;
    if (otlp) {
      const options = { url: otlp.endpoint, headers: otlp.headers, httpAgentOptions: guardedAgentOptions(otlp.endpoint, OPERATOR_POLICY) };
      if (otlp.protocol === 'http/json') {
        const recorded = new RecordingExporter<ReadableSpan[]>('otlp', new JsonTraceExporter(options));
        this.exporters.push(recorded);
        this.processors.push(new BatchSpanProcessor(recorded, { scheduledDelayMillis: cfg.batchDelayMs, maxQueueSize: BATCH.maxQueue, maxExportBatchSize: JSON_BATCH }));
      } else queue('otlp', protobufExporter(options, framing));
    }
    if (cfg.langfuse) queue('langfuse', langfuseExporter(cfg.langfuse, framing));
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
    if (this.queues.length > 0) {
      const bytes = encodeSpan(span);
      for (const q of this.queues) q.push(bytes);
    }
    for (const p of this.processors) p.onEnd(span);
  }

  /** The request's trace, continuing the client's `traceparent` when it is valid. */
  startRequest(headers: IncomingHttpHeaders, operation: string, requestId: string): RequestTrace {
    return new RequestTrace(this, headers, operation, requestId, this.langfuse);
  }

  /** For /health: degraded while the last export of any exporter failed. */
  health(): ComponentHealth {
    const exporters = this.exporters.map((e) => e.status);
    const failing = exporters.some((e) => e.lastOk === false);
    return { status: failing ? 'degraded' : 'healthy', exporters };
  }

  async forceFlush(): Promise<void> {
    await Promise.all([...this.queues, ...this.processors].map((p) => p.forceFlush()));
  }

  /** Flushes what is queued, but never holds a shutdown longer than `maxMs` for a slow collector. */
  async shutdown(maxMs = 2_000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => { timer = setTimeout(resolve, maxMs); });
    try {
      const done = Promise.all([...this.queues, ...this.processors].map((p) => p.shutdown())).catch(() => undefined);
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
