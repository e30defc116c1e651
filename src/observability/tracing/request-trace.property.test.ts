// Property tests (B12, B6) for the incoming W3C `traceparent` header as RequestTrace reads it:
// against an independent reference of the W3C Trace Context rules (version 00 exactly 55
// characters; future versions may append `-…`; version ff, upper-case hex, all-zero ids
// invalid), a valid value is continued (same trace id, the request span's parent is the given
// id, the sampled flag carried to the upstream `traceparent`), an invalid one starts a new trace,
// and no header value — arbitrary strings, arrays, junk tracestate — ever throws. Seeded, bounded.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { IncomingHttpHeaders } from 'node:http';
import { fuzzParams, loadCorpus } from '../../../test/fuzz-corpus/corpus.js';
import { RequestTrace, type SpanSink } from './request-trace.js';

/** Samples every new trace and keeps what it is given to export. */
const exported: ReadableSpan[] = [];
const sink: SpanSink = {
  propagator: new W3CTraceContextPropagator(),
  resource: resourceFromAttributes({ 'service.name': 'property-test' }),
  scope: { name: 'property-test' },
  sampleRoot: () => true,
  export: (span) => { exported.push(span); },
};
const TARGET = { id: 't', model: 'm', provider: { name: 'p' } };

/**
 * The W3C rules, written independently of the propagator. Like it, one whitespace character is
 * tolerated at each end (the HTTP layer trims such whitespace before we ever see it).
 */
function referenceParse(value: string): { traceId: string; parentId: string; sampled: boolean } | null {
  const m = /^\s?([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?\s?$/.exec(value);
  if (!m || m[1] === 'ff' || (m[1] === '00' && m[5] !== undefined)) return null;
  if (/^0+$/.test(m[2]) || /^0+$/.test(m[3])) return null;
  return { traceId: m[2], parentId: m[3], sampled: (parseInt(m[4], 16) & 1) === 1 };
}

interface Observed { traceId: string; parentId: string | undefined; upstream: string }

function observe(headers: IncomingHttpHeaders): Observed {
  exported.length = 0;
  const t = new RequestTrace(sink, headers, 'chat', 'req-1');
  const upstream: Record<string, string> = {};
  t.startAttempt(TARGET, 1, upstream);
  t.endAttempt(undefined);
  const attempt = exported[0];
  if (attempt) {
    // The attempt span is the request span's child, and it is what the upstream is told about.
    assert.equal(attempt.spanContext().traceId, t.traceId);
    assert.equal(upstream.traceparent.split('-')[2], attempt.spanContext().spanId);
  }
  const span = (t as unknown as { span: { parentSpanContext?: { spanId: string } } }).span;
  return { traceId: t.traceId, parentId: span.parentSpanContext?.spanId, upstream: upstream.traceparent };
}

function assertMatchesReference(value: string, headers: IncomingHttpHeaders = { traceparent: value }): void {
  const expected = referenceParse(value);
  const got = observe(headers);
  const up = /^00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])$/.exec(got.upstream);
  assert.ok(up, `upstream traceparent malformed: ${got.upstream}`);
  assert.equal(up[1], got.traceId);
  if (expected === null) {
    assert.equal(got.parentId, undefined, `invalid ${JSON.stringify(value)} was continued`);
    assert.equal(up[3], '01', 'a new trace is sampled by the root sampler');
  } else {
    assert.equal(got.traceId, expected.traceId, `valid ${JSON.stringify(value)} was not continued`);
    assert.equal(got.parentId, expected.parentId);
    assert.equal(up[3], expected.sampled ? '01' : '00');
  }
}

const hex = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });
const validParts = fc.record({ version: hex(2), traceId: hex(32), parentId: hex(16), flags: hex(2), suffix: fc.option(fc.string({ maxLength: 8 }).map((s) => `-${s}`), { nil: '' }) });
/** Near-valid values: valid shapes, then one mutation that may or may not break them. */
const candidate = fc.tuple(validParts, fc.integer({ min: 0, max: 9 }), fc.nat(), fc.string({ maxLength: 2 })).map(([p, mutation, at, junk]) => {
  let v = `${p.version}-${p.traceId}-${p.parentId}-${p.flags}${p.suffix}`;
  switch (mutation) {
    case 0: v = v.toUpperCase(); break;
    case 1: v = v.replace(p.traceId, '0'.repeat(32)); break;
    case 2: v = v.replace(p.parentId, '0'.repeat(16)); break;
    case 3: v = `ff${v.slice(2)}`; break;
    case 4: v = `00${v.slice(2)}`; break;
    case 5: { const i = at % (v.length + 1); v = v.slice(0, i) + junk + v.slice(i + 1); break; }
    case 6: v = ` ${v}\t`; break;
    default: break;
  }
  return v;
});

describe('traceparent properties', () => {
  test('near-valid values: continued exactly when the W3C rules say so', () => {
    fc.assert(fc.property(candidate, (v) => assertMatchesReference(v)), fuzzParams(500));
  });

  test('valid values round-trip: same trace id and parent, sampled flag kept', () => {
    fc.assert(fc.property(validParts, ({ traceId, parentId, flags }) => {
      fc.pre(!/^0+$/.test(traceId) && !/^0+$/.test(parentId));
      assertMatchesReference(`00-${traceId}-${parentId}-${flags}`);
    }), fuzzParams(300));
  });

  test('arbitrary header values (strings, arrays, junk tracestate) never throw', () => {
    const value = fc.oneof(fc.string({ maxLength: 80 }), candidate);
    const headers = fc.record({ traceparent: fc.oneof(value, fc.array(value, { maxLength: 3 })), tracestate: fc.oneof(fc.string({ maxLength: 60 }), fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 })) }, { requiredKeys: ['traceparent'] });
    fc.assert(fc.property(headers, (h) => {
      const got = observe(h as IncomingHttpHeaders);
      assert.match(got.upstream, /^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$/);
    }), fuzzParams(300));
  });
});

describe('traceparent seed corpus', () => {
  for (const value of loadCorpus<string>('traceparent')) {
    test(JSON.stringify(value), () => assertMatchesReference(value));
  }
});
