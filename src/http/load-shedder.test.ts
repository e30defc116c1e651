import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LoadShedder } from './load-shedder.js';

function shedder(mem: { rss: number; heapUsed: number; heapLimit: number }, maxRss = 0) {
  return new LoadShedder({ maxInFlight: () => 3, maxRssBytes: () => maxRss, sampleEveryMs: 60_000, readMemory: () => mem });
}

test('beyond the in-flight cap requests are shed and counted; at the cap they are admitted', () => {
  const s = shedder({ rss: 1, heapUsed: 1, heapLimit: 100 });
  try {
    assert.equal(s.check(3), undefined);
    assert.equal(s.shedding, false);
    assert.equal(s.check(4), 'in_flight');
    assert.deepEqual(s.shed, { in_flight: 1, memory: 0 });
    assert.equal(s.shedding, true, 'recently shed: readiness reports it');
  } finally {
    s.close();
  }
});

test('memory pressure (RSS bound or heap near its limit) sheds until it passes', () => {
  const mem = { rss: 200, heapUsed: 10, heapLimit: 100 };
  const s = shedder(mem, 100);
  try {
    s.sample();
    assert.equal(s.check(1), 'memory');
    mem.rss = 50;
    s.sample();
    assert.equal(s.check(1), undefined);
    mem.heapUsed = 95; // above 92% of the heap limit
    s.sample();
    assert.equal(s.check(1), 'memory');
    assert.deepEqual(s.shed, { in_flight: 0, memory: 2 });
  } finally {
    s.close();
  }
});
