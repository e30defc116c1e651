/**
 * Wraps an exporter to remember the result of its last export (ok or the error, and when) and
 * how many spans its queue dropped, which /health reports as the tracing exporter's status.
 * The batch passes through untouched: span objects (the SDK's JSON exporter) or encoded spans.
 */
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';

export interface ExportStatus {
  name: string;
  lastExportAt: number | null;
  lastOk: boolean | null;
  lastError: string | null;
  exportedSpans: number;
  failedExports: number;
  /** Spans refused by a full queue; null where the queue (the SDK's processor) does not say. */
  droppedSpans: number | null;
}

interface Inner<Batch> {
  export(batch: Batch, done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
  forceFlush?(): Promise<void>;
}

export class RecordingExporter<Batch extends { length: number }> implements Inner<Batch> {
  private readonly state: Omit<ExportStatus, 'droppedSpans'>;
  /** The queue's drop count, when it keeps one. */
  dropped: (() => number) | undefined;

  constructor(name: string, private readonly inner: Inner<Batch>) {
    this.state = { name, lastExportAt: null, lastOk: null, lastError: null, exportedSpans: 0, failedExports: 0 };
  }

  get status(): ExportStatus {
    return { ...this.state, droppedSpans: this.dropped ? this.dropped() : null };
  }

  export(batch: Batch, done: (result: ExportResult) => void): void {
    this.inner.export(batch, (result) => {
      const s = this.state;
      s.lastExportAt = Date.now();
      s.lastOk = result.code === ExportResultCode.SUCCESS;
      if (s.lastOk) {
        s.lastError = null;
        s.exportedSpans += batch.length;
      } else {
        s.failedExports++;
        s.lastError = result.error?.message ?? 'export failed';
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
