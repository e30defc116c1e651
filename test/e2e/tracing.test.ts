/**
 * End-to-end traces: with tracing on, each request exports a SERVER span and a CLIENT span per
 * upstream attempt to an OTLP receiver started in the test, with GenAI attributes, cost, cache
 * status and request id; an incoming `traceparent` is continued and propagated upstream; an
 * invalid one restarts the trace (B6); retries and breaker trips are span events; Langfuse gets
 * basic auth on its OTLP path; no prompt text is exported.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { postJson, raw } from './http-client.js';
import { OtlpTestReceiver, type ReceivedSpan } from '../../src/observability/tracing/otlp-test-receiver.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

describe('OpenTelemetry traces', () => {
  let h: Harness;
  let otlp: OtlpTestReceiver;
  let langfuse: OtlpTestReceiver;
  before(async () => {
    otlp = await OtlpTestReceiver.start();
    langfuse = await OtlpTestReceiver.start();
    h = await startHarness({
      config: () => ({
        tracing: {
          enabled: true, batchDelayMs: 20, serviceName: 'tollgate-test',
          otlp: { endpoint: otlp.url, headers: { 'x-collector-token': 'abc' } },
          langfuse: { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', baseUrl: langfuse.url.replace('/v1/traces', '') },
        },
        resilience: { maxAttempts: 2, backoff: { baseMs: 1, maxMs: 5 }, circuitBreaker: { failureThreshold: 2, cooldownMs: 60_000 } },
      }),
    });
  });
  after(async () => {
    await h.close();
    await otlp.close();
    await langfuse.close();
  });

  const byRequest = (spans: ReceivedSpan[], id: string) => spans.find((s) => s.attributes['tollgate.request_id'] === id);

  test('request and attempt spans carry the GenAI attributes and continue the caller\'s trace', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'secret prompt text' }] },
      { traceparent: `00-${TRACE}-${PARENT}-01`, 'x-request-id': 'trace-req-0001', 'x-tollgate-operation': 'faq' });
    assert.equal(r.status, 200);
    const usage = (r.json() as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    const spans = await otlp.waitFor((s) => byRequest(s, 'trace-req-0001') !== undefined);
    const root = byRequest(spans, 'trace-req-0001')!;
    assert.equal(root.traceId, TRACE);
    assert.equal(root.parentSpanId, PARENT);
    assert.equal(root.name, 'chat');
    assert.equal(root.kind, 2, 'SERVER');
    assert.equal(root.attributes['gen_ai.operation.name'], 'chat');
    assert.equal(root.attributes['gen_ai.provider.name'], 'openai');
    assert.equal(root.attributes['gen_ai.request.model'], 'gpt-4o-mini');
    assert.equal(root.attributes['gen_ai.usage.input_tokens'], usage.prompt_tokens);
    assert.equal(root.attributes['gen_ai.usage.output_tokens'], usage.completion_tokens);
    assert.equal(root.attributes['tollgate.cost_usd'], Number(r.headers['x-tollgate-cost-usd']));
    assert.equal(root.attributes['tollgate.operation'], 'faq');
    assert.equal(root.attributes['http.response.status_code'], 200);
    assert.equal(root.resource['service.name'], 'tollgate-test');
    const attempt = spans.find((s) => s.parentSpanId === root.spanId);
    assert.ok(attempt, 'an attempt span is a child of the request span');
    assert.equal(attempt.traceId, TRACE);
    assert.equal(attempt.kind, 3, 'CLIENT');
    assert.equal(attempt.attributes['tollgate.target'], 'openai/gpt-4o-mini');
    const upstream = h.mock.attempts().at(-1)!;
    assert.equal(upstream.headers.traceparent, `00-${TRACE}-${attempt.spanId}-01`, 'propagated upstream with the attempt span as parent');
    assert.ok(!JSON.stringify(spans).includes('secret prompt text'), 'no prompt content in spans');
    assert.equal(otlp.headers[0]['x-collector-token'], 'abc');
  });

  test('native pass-through is traced too; the upstream sees the attempt span, not the client\'s', async () => {
    const r = await postJson(`${h.gateway.url}/openai/chat/completions`, { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
      { traceparent: `00-${TRACE}-${PARENT}-01`, 'x-request-id': 'trace-pass-001' });
    assert.equal(r.status, 200);
    const spans = await otlp.waitFor((s) => byRequest(s, 'trace-pass-001') !== undefined);
    const root = byRequest(spans, 'trace-pass-001')!;
    assert.equal(root.name, 'passthrough');
    assert.equal(root.traceId, TRACE);
    assert.equal(root.parentSpanId, PARENT);
    const attempt = spans.find((s) => s.parentSpanId === root.spanId)!;
    assert.equal(h.mock.attempts().at(-1)!.headers.traceparent, `00-${TRACE}-${attempt.spanId}-01`);
  });

  test('an invalid traceparent restarts the trace', async () => {
    for (const [i, bad] of [`00-${'0'.repeat(32)}-${PARENT}-01`, 'garbage', `ff-${TRACE}-${PARENT}-01`].entries()) {
      const id = `trace-bad-000${i}`;
      await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { traceparent: bad, 'x-request-id': id });
      const root = byRequest(await otlp.waitFor((s) => byRequest(s, id) !== undefined), id)!;
      assert.match(root.traceId, /^[0-9a-f]{32}$/);
      assert.notEqual(root.traceId, TRACE);
      assert.notEqual(root.traceId, '0'.repeat(32));
      assert.equal(root.parentSpanId, '', `${bad}: a new root span`);
    }
  });

  test('retries and breaker trips are events; failed attempts are error spans', async () => {
    const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/flaky~status=503', messages: [{ role: 'user', content: 'x' }] }, { 'x-request-id': 'trace-fail-001' });
    assert.equal(r.status, 503);
    const spans = await otlp.waitFor((s) => byRequest(s, 'trace-fail-001') !== undefined);
    const root = byRequest(spans, 'trace-fail-001')!;
    assert.equal(root.attributes['error.type'], 'upstream_overloaded');
    assert.equal(root.status.code, 2);
    const names = root.events.map((e) => e.name);
    assert.ok(names.includes('tollgate.retry'), names.join());
    assert.ok(names.includes('tollgate.breaker_open'), names.join());
    const attempts = spans.filter((s) => s.parentSpanId === root.spanId);
    assert.equal(attempts.length, 2);
    assert.ok(attempts.every((a) => a.attributes['http.response.status_code'] === 503 && a.status.code === 2));
  });

  test('Langfuse receives the same spans with basic auth on its OTLP path; health shows the exporters', async () => {
    await langfuse.waitFor((s) => byRequest(s, 'trace-req-0001') !== undefined);
    assert.equal(langfuse.headers[0].authorization, `Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`);
    const span = byRequest(langfuse.spans, 'trace-req-0001')!;
    assert.equal(span.attributes['langfuse.observation.metadata.request_id'], 'trace-req-0001');
    assert.ok(Number(span.attributes['gen_ai.usage.cost']) > 0);
    const health = (await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as { components: { tracing: { status: string; exporters: Array<{ name: string; lastOk: boolean; exportedSpans: number; droppedSpans: number | null }> } } };
    assert.equal(health.components.tracing.status, 'healthy');
    assert.deepEqual(health.components.tracing.exporters.map((e) => [e.name, e.lastOk, e.droppedSpans]), [['otlp', true, 0], ['langfuse', true, 0]]);
    assert.ok(health.components.tracing.exporters.every((e) => e.exportedSpans >= 1));
  });

  test('exports are binary protobuf by default (OTLP\'s own default), to both exporters', () => {
    assert.equal(otlp.headers[0]['content-type'], 'application/x-protobuf');
    assert.equal(langfuse.headers[0]['content-type'], 'application/x-protobuf');
  });

  test('a failing collector makes the tracing component degraded', async () => {
    otlp.failing = true;
    const before = otlp.headers.length;
    await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] });
    await otlp.waitFor(() => otlp.headers.length > before);
    const deadline = Date.now() + 8000;
    let status = '';
    while (Date.now() < deadline) {
      status = ((await raw(`${h.gateway.url}/health`, { method: 'GET' })).json() as { components: { tracing: { status: string } } }).components.tracing.status;
      if (status === 'degraded') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(status, 'degraded');
    otlp.failing = false;
  });
});

describe('OpenTelemetry traces over OTLP/HTTP JSON', () => {
  test('protocol http/json sends the JSON encoding with the same spans', async () => {
    const receiver = await OtlpTestReceiver.start();
    const h = await startHarness({
      config: () => ({ tracing: { enabled: true, batchDelayMs: 20, otlp: { endpoint: receiver.url, protocol: 'http/json' } } }),
    });
    try {
      const r = await postJson(`${h.gateway.url}/v1/chat/completions`, { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }, { 'x-request-id': 'trace-json-0001' });
      assert.equal(r.status, 200);
      const spans = await receiver.waitFor((s) => s.some((x) => x.attributes['tollgate.request_id'] === 'trace-json-0001'));
      assert.equal(receiver.headers[0]['content-type'], 'application/json');
      assert.ok(spans.some((x) => x.kind === 3 && x.name.startsWith('upstream ')), 'the attempt span came too');
    } finally {
      await h.close();
      await receiver.close();
    }
  });
});
