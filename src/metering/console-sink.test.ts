import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fuzzParams } from '../../test/fuzz-corpus/corpus.js';
import type { UsageEvent } from './usage-event.js';
import { ConsoleSink, formatUsd, jsonLine, prettyLine, printable } from './console-sink.js';
import { FIXTURE_TIME, makeEvent } from '../stores/events/event-fixtures.js';

test('a JSON line has one ISO time and every other field of the event', () => {
  const e = makeEvent({ requestId: 'req ",\\"time\\":1', metadata: { time: 'noon', team: 'x' } });
  const line = jsonLine(e);
  assert.ok(line.endsWith('}\n'));
  assert.equal(line.match(/[{,]"time":/g)?.length, 2, 'the line\'s own time and the metadata\'s');
  const parsed = JSON.parse(line) as Record<string, unknown>;
  assert.equal(parsed.level, 30);
  assert.equal(parsed.msg, 'request');
  assert.equal(parsed.time, new Date(FIXTURE_TIME).toISOString());
  const { time: _time, ...rest } = e;
  for (const [key, value] of Object.entries(rest)) assert.deepEqual(parsed[key], value, key);
});

/** The line as the serializer writes it: what jsonLine's field-by-field text must equal. */
function serializerLine(e: UsageEvent): string {
  const { time, ...rest } = e;
  return `{"level":30,"time":"${new Date(time).toISOString()}","msg":"request",${JSON.stringify(rest).slice(1)}\n`;
}

test('a JSON line is byte for byte what JSON.stringify writes, for events of every shape', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 24 }), fc.constantFrom('acme', 'gpt-4o', 'a"b\\c', 'x\ny'));
  const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });
  const num = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
  const overrides = fc.record({
    requestId: text, tenant: maybe(text), keyId: maybe(text), user: maybe(text), operation: maybe(text),
    metadata: maybe(fc.dictionary(text, text, { maxKeys: 3 })), endpoint: fc.constantFrom('chat', 'completions', 'embeddings', 'passthrough'),
    provider: maybe(text), model: maybe(text), routeAlias: maybe(text), status: fc.integer({ min: 100, max: 599 }),
    errorCode: maybe(text), cacheStatus: fc.constantFrom('HIT', 'MISS', 'BYPASS', null), attempts: fc.nat(), fallbackIndex: fc.nat(),
    latencyMs: num, ttftMs: maybe(num), tokensIn: fc.nat(), tokensOut: fc.nat(), tokensCached: fc.nat(), tokensCacheWrite: fc.nat(),
    neurons: maybe(num), costMicros: maybe(fc.integer()), savedMicros: fc.integer(), stream: fc.boolean(), partial: fc.boolean(),
    estimated: fc.boolean(), collect: fc.boolean(), payload: maybe(fc.record({ request: maybe(text), response: maybe(text) })),
  }) as fc.Arbitrary<Partial<UsageEvent>>;
  fc.assert(fc.property(overrides, (o) => {
    const e = makeEvent(o);
    assert.equal(jsonLine(e), serializerLine(e));
  }), fuzzParams(500));
  // Every field of the event is covered: an event with a field the line does not write differs.
  const extended = { ...makeEvent(), addedLater: 1 } as UsageEvent;
  assert.notEqual(jsonLine(extended), serializerLine(extended));
  assert.equal(jsonLine(makeEvent()), serializerLine(makeEvent()));
});

test('pretty lines carry the cache status, tokens and cost, or the error code', () => {
  const ok = prettyLine(makeEvent({ cacheStatus: 'HIT', latencyMs: 87.2, costMicros: 35_400, estimated: true }));
  assert.equal(ok, '[AI Gateway] [resume_parsing] [gpt-4o] [RequestID: req_fixture] [User: user_123***789] [Cache: HIT] [87ms] [1500 tokens] [$0.0354] [estimated]');
  const failed = prettyLine(makeEvent({ status: 429, errorCode: 'rate_limit_exceeded', latencyMs: 1523 }));
  assert.match(failed, /\[Error: RATE_LIMIT_EXCEEDED\] \[.+\] \[responseTimeMs: 1523\]$/);
  assert.equal(formatUsd(null), '$?');
});

test('client text with line breaks or control characters stays on one line (B11)', () => {
  const forged = 'gpt-4o\n[AI Gateway] [x] [admin] [RequestID: fake]\r\u001b[2K\u2028';
  const e = makeEvent({ model: forged, requestId: 'req\u0085x', user: 'user_1\t***9' });
  const pretty = prettyLine(e);
  assert.doesNotMatch(pretty, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  assert.match(pretty, /\[gpt-4o\\u000a\[AI Gateway\] \[x\] \[admin\] \[RequestID: fake\]\\u000d\\u001b\[2K\\u2028\]/);
  assert.match(pretty, /\[RequestID: req\\u0085x\] \[User: user_1\\u0009\*\*\*9\]/);
  const failed = prettyLine({ ...e, status: 404, errorCode: 'model_not_found' });
  assert.doesNotMatch(failed, /[\n\r]/);
  const line = jsonLine(e);
  assert.equal(line.indexOf('\n'), line.length - 1, 'one JSON line');
  assert.equal((JSON.parse(line) as { model: string }).model, forged);
  assert.equal(printable('plain text'), 'plain text');
});

test('a small batch is one write, skipping events that opted out of logging', async () => {
  const writes: string[] = [];
  const sink = new ConsoleSink('json', (t) => writes.push(t.toString('utf8')));
  await sink.write([makeEvent({ requestId: 'a' }), makeEvent({ requestId: 'b', collect: false }), makeEvent({ requestId: 'c' })]);
  assert.equal(writes.length, 1);
  assert.deepEqual(writes[0].trim().split('\n').map((l) => (JSON.parse(l) as { requestId: string }).requestId), ['a', 'c']);
  await sink.write([makeEvent({ collect: false })]);
  assert.equal(writes.length, 1);
});

test('a large batch goes out as several writes of whole UTF-8 lines, in order', async () => {
  const chunks: Buffer[] = [];
  const sink = new ConsoleSink('json', (chunk) => chunks.push(Buffer.from(chunk)));
  // Multi-byte text near every chunk boundary: a line's bytes never straddle two writes.
  const events = Array.from({ length: 400 }, (_, i) => makeEvent({ requestId: `r${i}`, model: `modèle-${'é'.repeat(i % 7)}-😀`, metadata: { note: 'ü'.repeat(300) } }));
  await sink.write(events);
  assert.ok(chunks.length > 1, `${chunks.length} writes`);
  for (const chunk of chunks) {
    assert.equal(chunk[chunk.length - 1], 0x0a, 'every write ends with a whole line');
    assert.ok(chunk.length <= 64 * 1024);
  }
  const lines = Buffer.concat(chunks).toString('utf8').trimEnd().split('\n');
  assert.deepEqual(lines, events.map((e) => jsonLine(e).trimEnd()));
});

test('pretty lines are written as UTF-8 chunks too', async () => {
  const chunks: Buffer[] = [];
  const sink = new ConsoleSink('pretty', (chunk) => chunks.push(chunk));
  await sink.write([makeEvent({ model: 'grüß-gott' }), makeEvent({ collect: false }), makeEvent({ requestId: 'z' })]);
  assert.equal(chunks.length, 1);
  const text = chunks[0].toString('utf8');
  assert.equal(text, `${prettyLine(makeEvent({ model: 'grüß-gott' }))}\n${prettyLine(makeEvent({ requestId: 'z' }))}\n`);
});
