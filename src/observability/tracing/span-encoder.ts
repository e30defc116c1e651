/**
 * OTLP protobuf encoding of one ended span, done when the span ends, and the framing of an
 * export request around already-encoded spans. The bytes are those of the SDK's own
 * serializer (`ProtobufTraceSerializer`, checked byte for byte by span-encoder.test.ts), so
 * any OTLP receiver reads them alike.
 *
 * Why encode at the end of each span instead of per batch: a queued span is an object graph
 * (attributes, ids, times) that outlives several young-generation collections and is copied by
 * each one; queued bytes are one flat buffer. And the SDK's batch serializer walks every span
 * twice (a size estimate, then the write) through generic attribute code, while our spans have
 * a known, small shape. Measured on the gateway with metrics and tracing on, the queue and the
 * serializer were most of what tracing cost per request beyond building the spans.
 *
 * Deliberately not here: JSON encoding (`protocol: http/json` keeps the SDK's exporter),
 * links (the gateway never records any) and resources or scopes other than the one the
 * gateway was started with.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { Writer } from './protobuf-writer.js';

const HAS_IS_REMOTE = 0x100;
const IS_REMOTE = 0x200;

function anyValue(w: Writer, v: AttributeValue): void {
  if (typeof v === 'string') {
    w.tag(1, 2);
    w.string(v);
  } else if (typeof v === 'boolean') {
    w.tag(2, 0);
    w.varint(v ? 1 : 0);
  } else if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -(2 ** 63) && v < 2 ** 63) {
      w.tag(3, 0);
      if (v >= 0) w.varint(v);
      else w.negative(v);
    } else {
      w.tag(4, 1);
      w.double(v);
    }
  } else if (Array.isArray(v)) {
    w.tag(5, 2);
    const list = w.open();
    for (const item of v) {
      w.tag(1, 2);
      const at = w.open();
      if (item !== null && item !== undefined) anyValue(w, item);
      w.close(at);
    }
    w.close(list);
  }
}

/** A KeyValue message's body: the key and its AnyValue. */
function keyValue(w: Writer, key: string, v: AttributeValue | undefined): void {
  w.tag(1, 2);
  w.string(key);
  w.tag(2, 2);
  const value = w.open();
  if (v !== undefined) anyValue(w, v);
  w.close(value);
}

/**
 * Encoded KeyValue bodies of attribute pairs seen before. Most of a span's attributes repeat
 * from request to request (provider, model, operation, status, cache status); copying their
 * bytes costs a fraction of writing them afresh. Bounded per key and in keys, so values that
 * never repeat (request ids, token counts) only fill a key's small table once and are then
 * written directly.
 */
const PAIRS = new Map<string, Map<string | number | boolean, Buffer> | null>();
const MAX_KEYS = 256;
const MAX_VALUES_PER_KEY = 64;
const MAX_CACHED_TEXT = 64;
const scratch = new Writer();

function cachedPair(key: string, v: AttributeValue | undefined): Buffer | undefined {
  if (v === undefined || v === null || typeof v === 'object' || (typeof v === 'string' && v.length > MAX_CACHED_TEXT)) return undefined;
  let values = PAIRS.get(key);
  if (values === undefined) {
    if (PAIRS.size >= MAX_KEYS) return undefined;
    values = new Map();
    PAIRS.set(key, values);
  }
  if (values === null) return undefined; // a key whose values did not repeat
  let bytes = values.get(v);
  if (bytes === undefined) {
    if (values.size >= MAX_VALUES_PER_KEY) {
      PAIRS.set(key, null);
      return undefined;
    }
    scratch.pos = 0;
    keyValue(scratch, key, v);
    bytes = Buffer.from(scratch.buf.subarray(0, scratch.pos));
    values.set(v, bytes);
  }
  return bytes;
}

/**
 * The last pair met at each attribute position of each lane (a span kind, span events, the
 * resource) and what cachedPair answered for it. Spans of one kind list the same keys in the
 * same order with mostly the same values, so one comparison with the last pair at a position
 * usually spares both Map lookups (about 2 µs of a traced request under load). An answer for a
 * pair never changes (cached bytes are never dropped; a pair once refused stays refused), so a
 * slot can only repeat what cachedPair would say.
 */
const LANE_POSITIONS = 32;
const EVENT_LANE = 5;
const RESOURCE_LANE = 6;
const slotKeys: Array<string | undefined> = new Array<string | undefined>(8 * LANE_POSITIONS).fill(undefined);
const slotValues: Array<AttributeValue | undefined> = new Array<AttributeValue | undefined>(8 * LANE_POSITIONS).fill(undefined);
const slotBytes: Array<Buffer | undefined> = new Array<Buffer | undefined>(8 * LANE_POSITIONS).fill(undefined);

function pairAt(lane: number, i: number, key: string, v: AttributeValue | undefined): Buffer | undefined {
  if (i >= LANE_POSITIONS || v === undefined) return cachedPair(key, v);
  const slot = lane * LANE_POSITIONS + i;
  if (slotKeys[slot] === key && slotValues[slot] === v) return slotBytes[slot];
  const bytes = cachedPair(key, v);
  slotKeys[slot] = key;
  slotValues[slot] = v;
  slotBytes[slot] = bytes;
  return bytes;
}

function attributes(w: Writer, attrs: Attributes, field: number, lane: number): void {
  // Own keys only, as the SDK's serializer reads them.
  const keys = Object.keys(attrs);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const v = attrs[key];
    w.tag(field, 2);
    const cached = pairAt(lane, i, key, v);
    if (cached !== undefined) {
      w.varint(cached.length);
      w.bytes(cached);
      continue;
    }
    const kv = w.open();
    keyValue(w, key, v);
    w.close(kv);
  }
}

function spanBody(w: Writer, span: ReadableSpan): void {
  const ctx = span.spanContext();
  w.tag(1, 2);
  w.hex(ctx.traceId);
  w.tag(2, 2);
  w.hex(ctx.spanId);
  const state = ctx.traceState?.serialize();
  if (state) {
    w.tag(3, 2);
    w.string(state);
  }
  if (span.parentSpanContext?.spanId) {
    w.tag(4, 2);
    w.hex(span.parentSpanContext.spanId);
  }
  w.tag(5, 2);
  w.string(span.name);
  w.tag(6, 0);
  w.varint(span.kind + 1); // the API has no "unspecified": its kinds are the wire's minus one
  w.tag(7, 1);
  w.time(span.startTime);
  w.tag(8, 1);
  w.time(span.endTime);
  attributes(w, span.attributes, 9, span.kind & 7);
  w.tag(10, 0);
  w.varint(span.droppedAttributesCount);
  for (const e of span.events) {
    w.tag(11, 2);
    const at = w.open();
    w.tag(1, 1);
    w.time(e.time);
    w.tag(2, 2);
    w.string(e.name);
    if (e.attributes) attributes(w, e.attributes, 3, EVENT_LANE);
    w.tag(4, 0);
    w.varint(e.droppedAttributesCount ?? 0);
    w.close(at);
  }
  w.tag(12, 0);
  w.varint(span.droppedEventsCount);
  w.tag(14, 0);
  w.varint(span.droppedLinksCount);
  w.tag(15, 2);
  const status = w.open();
  if (span.status.message) {
    w.tag(2, 2);
    w.string(span.status.message);
  }
  w.tag(3, 0);
  w.varint(span.status.code);
  w.close(status);
  w.tag(16, 5);
  w.fixed32((ctx.traceFlags & 0xff) | HAS_IS_REMOTE | (span.parentSpanContext?.isRemote ? IS_REMOTE : 0));
}

const writer = new Writer();

/**
 * One span as a `ScopeSpans.spans` entry (tag, length, Span message): encoded spans of one
 * resource and scope concatenate into the body of an export request (exportRequest).
 * Links are not encoded (the gateway records none).
 */
export function encodeSpan(span: ReadableSpan): Buffer {
  writer.pos = 0;
  writer.tag(2, 2);
  const at = writer.open();
  spanBody(writer, span);
  writer.close(at);
  return Buffer.from(writer.buf.subarray(0, writer.pos));
}

/** The resource and scope of every span of this gateway, which open each export request. */
export interface ExportHead {
  readonly resource: { readonly attributes: Attributes };
  readonly scope: { readonly name: string; readonly version?: string };
}

function field(no: number, write: (w: Writer) => void): Buffer {
  const w = new Writer();
  w.tag(no, 2);
  const at = w.open();
  write(w);
  w.close(at);
  return Buffer.from(w.buf.subarray(0, w.pos));
}

function varintBytes(v: number): Buffer {
  const w = new Writer();
  w.varint(v);
  return Buffer.from(w.buf.subarray(0, w.pos));
}

/** Export requests of one gateway: the resource and scope are encoded once, at start. */
export class ExportFraming {
  private readonly resource: Buffer;
  private readonly scope: Buffer;

  constructor(head: ExportHead) {
    this.resource = field(1, (w) => {
      attributes(w, head.resource.attributes, 1, RESOURCE_LANE);
      w.tag(2, 0);
      w.varint(0);
    });
    this.scope = field(1, (w) => {
      w.tag(1, 2);
      w.string(head.scope.name);
      if (head.scope.version) {
        w.tag(2, 2);
        w.string(head.scope.version);
      }
    });
  }

  /** An ExportTraceServiceRequest: one ResourceSpans, one ScopeSpans, `spans` (encodeSpan's output). */
  request(spans: readonly Buffer[]): Buffer {
    let spanBytes = 0;
    for (const s of spans) spanBytes += s.length;
    const scopeSpans = this.scope.length + spanBytes;
    const scopeLen = varintBytes(scopeSpans);
    const resourceSpans = this.resource.length + 1 + scopeLen.length + scopeSpans;
    return Buffer.concat([TAG_1, varintBytes(resourceSpans), this.resource, TAG_2, scopeLen, this.scope, ...spans]);
  }
}

const TAG_1 = Buffer.from([0x0a]); // field 1, length-delimited
const TAG_2 = Buffer.from([0x12]); // field 2, length-delimited
