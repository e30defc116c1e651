import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfigDocument } from '../config/load.js';
import { makeEvent } from '../stores/events/event-fixtures.js';
import { MissWarner, type MissReport } from './miss-warning.js';

const cache = loadConfigDocument({
  storage: 'none://',
  cache: { enabled: true },
  operations: { resume_parsing: { expectCacheHits: true }, chat: { cacheTtl: 60 } },
}, {}).cache;

test('a miss on an operation expecting hits warns, at most once per interval, counting the rest', () => {
  let now = 0;
  const lines: MissReport[] = [];
  const w = new MissWarner((r) => lines.push(r), 60_000, () => now);
  w.observe(makeEvent({ requestId: 'a', operation: 'resume_parsing', cacheStatus: 'MISS' }), cache);
  w.observe(makeEvent({ requestId: 'b', operation: 'resume_parsing', cacheStatus: 'MISS' }), cache);
  w.observe(makeEvent({ requestId: 'c', operation: 'resume_parsing', cacheStatus: 'HIT' }), cache);
  w.observe(makeEvent({ requestId: 'd', operation: 'chat', cacheStatus: 'MISS' }), cache);
  w.observe(makeEvent({ requestId: 'e', operation: null, cacheStatus: 'MISS' }), cache);
  now = 60_000;
  w.observe(makeEvent({ requestId: 'f', operation: 'resume_parsing', cacheStatus: 'MISS' }), cache);
  assert.deepEqual(lines.map((l) => [l.requestId, l.misses]), [['a', 1], ['f', 2]]);
});
