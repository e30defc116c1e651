/**
 * A span as the gateway records it: plain data in the shape the OpenTelemetry SDK's span
 * processors and OTLP exporters read (`ReadableSpan`), so batching, export and the wire
 * encodings stay the SDK's while the request path skips its Tracer and Span machinery
 * (context lookups, sampler plumbing, attribute sanitising, span limits, clock anchoring).
 * That machinery was most of what tracing cost per request; our spans have a fixed, known set of
 * attributes of primitive values, which is what let us drop it.
 *
 * Also the two things every span needs: W3C ids (from a pooled crypto-random buffer, never
 * all zero) and the current time as OTLP's [seconds, nanoseconds]. Nothing here samples,
 * propagates or exports (request-trace.ts and gateway-tracing.ts do).
 */
import { SpanStatusCode, type Attributes, type HrTime, type SpanContext, type SpanKind, type SpanStatus } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import type { Resource } from '@opentelemetry/resources';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base';
import { randomFillSync } from 'node:crypto';

const ORIGIN_MS = performance.timeOrigin;
const NO_TIME: HrTime = [0, 0];

/** Wall-clock now, at the monotonic clock's resolution, as [seconds, nanoseconds]. */
export function nowHr(): HrTime {
  return toHr(ORIGIN_MS + performance.now());
}

function toHr(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  const nanos = Math.round((ms - seconds * 1000) * 1e6);
  return nanos >= 1e9 ? [seconds + 1, nanos - 1e9] : [seconds, nanos];
}

function hrDiff(a: HrTime, b: HrTime): HrTime {
  let seconds = b[0] - a[0];
  let nanos = b[1] - a[1];
  if (nanos < 0) {
    seconds--;
    nanos += 1e9;
  }
  return [seconds, nanos];
}

// One crypto fill serves many ids: a fill per id was the dearer part of making one.
const pool = Buffer.allocUnsafe(4096);
let poolAt = pool.length;

/** A random lower-case hex id of `bytes` bytes (16 for a trace, 8 for a span); never all zero. */
export function randomId(bytes: 8 | 16): string {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    const start = poolAt;
    poolAt += bytes;
    for (let i = start; i < poolAt; i++) if (pool[i] !== 0) return pool.toString('hex', start, poolAt);
  }
}

export interface SpanOrigin {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
}

export class SpanRecord implements ReadableSpan {
  readonly startTime: HrTime = nowHr();
  endTime: HrTime = NO_TIME;
  duration: HrTime = NO_TIME;
  ended = false;
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly events: TimedEvent[] = [];
  readonly links = [];
  readonly droppedAttributesCount = 0;
  readonly droppedEventsCount = 0;
  readonly droppedLinksCount = 0;
  readonly resource: Resource;
  readonly instrumentationScope: InstrumentationScope;

  constructor(
    readonly name: string,
    readonly kind: SpanKind,
    private readonly context: SpanContext,
    readonly parentSpanContext: SpanContext | undefined,
    readonly attributes: Attributes,
    origin: SpanOrigin,
  ) {
    this.resource = origin.resource;
    this.instrumentationScope = origin.scope;
  }

  spanContext(): SpanContext {
    return this.context;
  }

  addEvent(name: string, attributes: Attributes): void {
    this.events.push({ name, attributes, time: nowHr(), droppedAttributesCount: 0 });
  }

  fail(code: string): void {
    this.attributes['error.type'] = code;
    this.status = { code: SpanStatusCode.ERROR, message: code };
  }

  /** Stamps the end time once; later calls change nothing. */
  end(): void {
    if (this.ended) return;
    this.endTime = nowHr();
    this.duration = hrDiff(this.startTime, this.endTime);
    this.ended = true;
  }
}
