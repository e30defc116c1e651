import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SpanKind, SpanStatusCode, TraceFlags, type Attributes } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { encodeSpan, ExportFraming } from './span-encoder.js';
import { randomId, SpanRecord } from './span-record.js';
import { decodeTraceExport } from './otlp-protobuf-decode.js';

const origin = { resource: resourceFromAttributes({ 'service.name': 'tollgate-test', 'service.version': '1.2.3' }), scope: { name: 'tollgate', version: '0.1.0' } };

function span(attributes: Attributes, options: { kind?: SpanKind; remoteParent?: boolean; state?: string; flags?: number } = {}): SpanRecord {
  const parent = options.remoteParent === undefined ? undefined : { traceId: randomId(16), spanId: randomId(8), traceFlags: TraceFlags.SAMPLED, isRemote: options.remoteParent };
  const context = { traceId: parent?.traceId ?? randomId(16), spanId: randomId(8), traceFlags: options.flags ?? TraceFlags.SAMPLED, traceState: options.state ? new TraceState(options.state) : undefined };
  return new SpanRecord('chat', options.kind ?? SpanKind.SERVER, context, parent, attributes, origin);
}

/** What the SDK's own serializer writes for the same spans: the bytes ours must equal. */
function sdkBytes(spans: SpanRecord[]): Buffer {
  return Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!);
}

function ours(spans: SpanRecord[]): Buffer {
  return new ExportFraming(origin).request(spans.map(encodeSpan));
}

describe('OTLP span encoding', () => {
  test('a gateway request span and its attempt span encode exactly as the SDK encodes them', () => {
    const server = span({ 'gen_ai.operation.name': 'chat', 'tollgate.request_id': 'req-1', 'http.response.status_code': 200, 'gen_ai.usage.input_tokens': 12, 'tollgate.cost_usd': 0.000125, 'tollgate.cache_hit': false }, { remoteParent: true, state: 'vendor=abc,other=x' });
    server.addEvent('tollgate.retry', { 'tollgate.target': 'openai:gpt-4o', 'tollgate.attempt': 2 });
    const client = span({ 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4o', 'tollgate.attempt': 1 }, { kind: SpanKind.CLIENT, remoteParent: false });
    client.fail('upstream_timeout');
    client.end();
    server.end();
    assert.deepEqual(ours([server, client]), sdkBytes([server, client]));
  });

  test('every attribute value type, unicode, empty and long strings match the SDK byte for byte', () => {
    const s = span({
      text: 'héllo ✓ 𝄞', empty: '', yes: true, no: false, zero: 0, big: 2 ** 52 + 1, negative: -42, hugeNegative: -(2 ** 62), fraction: -1.5, nan: Number.NaN,
      strings: ['a', 'b'], numbers: [1, 2.5], flags: [true, false], holes: ['x', null, undefined] as unknown as string[], long: 'x'.repeat(20_000),
    }, { flags: TraceFlags.NONE });
    s.status = { code: SpanStatusCode.OK };
    s.end();
    assert.deepEqual(ours([s]), sdkBytes([s]));
  });

  test('attribute pairs seen before (copied from the pair cache) and ones that never repeat encode alike', () => {
    // Enough requests that one key's table fills up (token counts) while others keep repeating.
    const spans = Array.from({ length: 150 }, (_, i) => {
      const s = span({ 'gen_ai.provider.name': i % 2 ? 'openai' : 'anthropic', 'gen_ai.usage.input_tokens': i, 'tollgate.cache_status': 'MISS', 'http.response.status_code': 200, 'tollgate.cost_usd': i / 1e6, 'tollgate.ok': true, [`key.${i % 300}`]: 'v' });
      s.end();
      return s;
    });
    for (let round = 0; round < 2; round++) assert.deepEqual(ours(spans), sdkBytes(spans), `round ${round}`);
  });

  test('times far from now keep every nanosecond', () => {
    const s = span({});
    s.end();
    const edges: Array<[number, number]> = [[0, 0], [1, 999_999_999], [1_800_000_000, 123_456_789], [4_294_967_295, 999_999_999], [9_000_000_000, 1]];
    for (const [seconds, nanos] of edges) {
      (s as { startTime: [number, number] }).startTime = [seconds, nanos];
      s.endTime = [seconds, nanos];
      assert.deepEqual(ours([s]), sdkBytes([s]), `${seconds}.${nanos}`);
    }
  });

  test('a batch of many spans frames as one request a decoder reads back whole', () => {
    const spans = Array.from({ length: 600 }, (_, i) => {
      const s = span({ 'tollgate.request_id': `req-${i}`, n: i });
      s.end();
      return s;
    });
    const bytes = ours(spans);
    assert.deepEqual(bytes, sdkBytes(spans));
    const decoded = decodeTraceExport(bytes) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: unknown[] }> }> };
    assert.equal(decoded.resourceSpans[0].scopeSpans[0].spans.length, 600);
  });

  test('pairs remembered per position: a changed value, a moved key, repeats and -0 all encode as the SDK does', () => {
    const shapes: Attributes[] = [
      { 'gen_ai.provider.name': 'openai', 'tollgate.attempt': 1 },
      { 'gen_ai.provider.name': 'anthropic', 'tollgate.attempt': 1 },
      { 'tollgate.attempt': 2, 'gen_ai.provider.name': 'openai' },
      { 'gen_ai.provider.name': 'openai', 'tollgate.attempt': 1 },
      { 'gen_ai.provider.name': 'openai', 'tollgate.attempt': -0, extra: 'x'.repeat(100) },
      { 'gen_ai.provider.name': 'openai', 'tollgate.attempt': 0, extra: 'x'.repeat(100) },
    ];
    for (const kind of [SpanKind.SERVER, SpanKind.CLIENT]) {
      for (const attrs of [...shapes, ...shapes.reverse()]) {
        const s = span({ ...attrs }, { kind });
        s.end();
        assert.deepEqual(ours([s]), sdkBytes([s]), JSON.stringify(attrs));
      }
    }
  });

  test('an encoded span is its own copy: later encodings do not overwrite it', () => {
    const a = span({ name: 'first' });
    a.end();
    const first = encodeSpan(a);
    const copy = Buffer.from(first);
    const b = span({ name: 'second, and longer than the first' });
    b.end();
    encodeSpan(b);
    assert.deepEqual(first, copy);
  });
});
