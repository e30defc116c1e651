import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsoleSink, formatUsd, jsonLine, prettyLine } from './console-sink.js';
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

test('pretty lines carry the cache status, tokens and cost, or the error code', () => {
  const ok = prettyLine(makeEvent({ cacheStatus: 'HIT', latencyMs: 87.2, costMicros: 35_400, estimated: true }));
  assert.equal(ok, '[AI Gateway] [resume_parsing] [gpt-4o] [RequestID: req_fixture] [User: user_123***789] [Cache: HIT] [87ms] [1500 tokens] [$0.0354] [estimated]');
  const failed = prettyLine(makeEvent({ status: 429, errorCode: 'rate_limit_exceeded', latencyMs: 1523 }));
  assert.match(failed, /\[Error: RATE_LIMIT_EXCEEDED\] \[.+\] \[responseTimeMs: 1523\]$/);
  assert.equal(formatUsd(null), '$?');
});

test('one write per batch, skipping events that opted out of logging', async () => {
  const writes: string[] = [];
  const sink = new ConsoleSink('json', (t) => writes.push(t));
  await sink.write([makeEvent({ requestId: 'a' }), makeEvent({ requestId: 'b', collect: false }), makeEvent({ requestId: 'c' })]);
  assert.equal(writes.length, 1);
  assert.deepEqual(writes[0].trim().split('\n').map((l) => (JSON.parse(l) as { requestId: string }).requestId), ['a', 'c']);
  await sink.write([makeEvent({ collect: false })]);
  assert.equal(writes.length, 1);
});
