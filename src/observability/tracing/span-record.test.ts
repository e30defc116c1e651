import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { GatewayTracing } from './gateway-tracing.js';
import { RequestTrace, type SpanSink } from './request-trace.js';
import { nowHr, randomId } from './span-record.js';

function sinkSampling(root: boolean): SpanSink & { spans: ReadableSpan[] } {
  const spans: ReadableSpan[] = [];
  return {
    spans,
    propagator: new W3CTraceContextPropagator(),
    resource: resourceFromAttributes({ 'service.name': 'test' }),
    scope: { name: 'test' },
    sampleRoot: () => root,
    export: (span) => { spans.push(span); },
  };
}

const TARGET = { id: 'openai:m', model: 'm', provider: { name: 'openai' } };
const PARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('span records', () => {
  test('ids are lower-case hex of the asked length, distinct, never all zero', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const trace = randomId(16);
      const span = randomId(8);
      assert.match(trace, /^[0-9a-f]{32}$/);
      assert.match(span, /^[0-9a-f]{16}$/);
      assert.notEqual(trace, '0'.repeat(32));
      seen.add(trace);
    }
    assert.equal(seen.size, 2000);
  });

  test('the clock is wall time as [seconds, nanoseconds] and moves forward', () => {
    const [s, n] = nowHr();
    assert.ok(Math.abs(s * 1000 + n / 1e6 - Date.now()) < 50);
    assert.ok(n >= 0 && n < 1e9 && Number.isInteger(n));
    const later = nowHr();
    assert.ok(later[0] > s || (later[0] === s && later[1] >= n));
  });

  test('a sampled request exports its attempt (child, failed) and then itself, once, with events', () => {
    const sink = sinkSampling(true);
    const t = new RequestTrace(sink, {}, 'chat', 'req-1');
    const up: Record<string, string> = {};
    t.startAttempt(TARGET, 1, up);
    t.endAttempt('upstream_server_error', 503);
    t.event('retry', TARGET.id, { 'error.type': 'upstream_server_error' });
    t.startAttempt(TARGET, 2, up);
    t.end({ status: 200, attempts: 2, fallbackIndex: 0, tokensIn: 3, tokensOut: 4, provider: 'openai', model: 'm', routeAlias: null, costMicros: 12, cacheStatus: 'MISS', ttftMs: null, operation: null, tenant: 't1', payload: undefined, errorCode: null, requestId: 'req-1' } as never);
    t.end({ errorCode: null } as never);
    assert.deepEqual(sink.spans.map((s) => s.name), ['upstream m', 'upstream m', 'chat']);
    const [failed, ok, request] = sink.spans;
    assert.equal(failed.status.code, 2);
    assert.equal(failed.attributes['http.response.status_code'], 503);
    assert.equal(ok.status.code, 0);
    for (const child of [failed, ok]) {
      assert.equal(child.parentSpanContext?.spanId, request.spanContext().spanId);
      assert.equal(child.spanContext().traceId, request.spanContext().traceId);
      assert.ok(child.ended && child.duration[0] >= 0);
    }
    assert.equal(up.traceparent, `00-${t.traceId}-${ok.spanContext().spanId}-01`);
    assert.equal(request.events[0].name, 'tollgate.retry');
    assert.equal(request.attributes['tollgate.cost_usd'], 0.000012);
    assert.equal(request.attributes['tollgate.tenant'], 't1');
  });

  test('an unsampled new trace exports nothing but still propagates its ids, flagged unsampled', () => {
    const sink = sinkSampling(false);
    const t = new RequestTrace(sink, {}, 'chat', 'req-2');
    const up: Record<string, string> = {};
    t.startAttempt(TARGET, 1, up);
    t.end({ errorCode: null } as never);
    assert.equal(sink.spans.length, 0);
    assert.match(up.traceparent, new RegExp(`^00-${t.traceId}-[0-9a-f]{16}-00$`));
  });

  test('the caller\'s decision wins over the root sampler, and its tracestate travels on', () => {
    const sink = sinkSampling(false);
    const t = new RequestTrace(sink, { traceparent: PARENT, tracestate: 'vendor=abc' }, 'chat', 'req-3');
    const up: Record<string, string> = {};
    t.startAttempt(TARGET, 1, up);
    t.end({ errorCode: null } as never);
    assert.equal(sink.spans.length, 2);
    assert.equal(sink.spans[1].parentSpanContext?.spanId, 'b7ad6b7169203331');
    assert.equal(up.tracestate, 'vendor=abc');
    const off = sinkSampling(true);
    new RequestTrace(off, { traceparent: PARENT.replace(/01$/, '00') }, 'chat', 'req-4').end({ errorCode: null } as never);
    assert.equal(off.spans.length, 0, 'an unsampled caller is not recorded even at ratio 1');
  });

  test('the root sampler follows tracing.sampleRatio', () => {
    const cfg = { enabled: true, serviceName: 't', batchDelayMs: 1000, otlp: { endpoint: 'http://127.0.0.1:9/v1/traces', protocol: 'http/protobuf', headers: {} } };
    const none = new GatewayTracing({ ...cfg, sampleRatio: 0 } as never);
    const all = new GatewayTracing({ ...cfg, sampleRatio: 1 } as never);
    const half = new GatewayTracing({ ...cfg, sampleRatio: 0.5 } as never);
    let kept = 0;
    for (let i = 0; i < 4000; i++) {
      const id = randomId(16);
      assert.equal(none.sampleRoot(id), false);
      assert.equal(all.sampleRoot(id), true);
      if (half.sampleRoot(id)) kept++;
    }
    assert.ok(kept > 1700 && kept < 2300, `ratio 0.5 kept ${kept} of 4000`);
  });
});
