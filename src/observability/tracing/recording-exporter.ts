/**
 * Wraps a span exporter to remember the result of its last export (ok or the error, and when),
 * which /health reports as the tracing exporter's status. Spans pass through untouched.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

export interface ExportStatus {
  name: string;
  lastExportAt: number | null;
  lastOk: boolean | null;
  lastError: string | null;
  exportedSpans: number;
  failedExports: number;
}

export class RecordingExporter implements SpanExporter {
  readonly status: ExportStatus;

  constructor(name: string, private readonly inner: SpanExporter) {
    this.status = { name, lastExportAt: null, lastOk: null, lastError: null, exportedSpans: 0, failedExports: 0 };
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      this.status.lastExportAt = Date.now();
      this.status.lastOk = result.code === ExportResultCode.SUCCESS;
      if (this.status.lastOk) {
        this.status.lastError = null;
        this.status.exportedSpans += spans.length;
      } else {
        this.status.failedExports++;
        this.status.lastError = result.error?.message ?? 'export failed';
      }
      done(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
