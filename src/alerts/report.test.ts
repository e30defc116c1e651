import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeEvent } from '../stores/events/event-fixtures.js';
import type { EventStore } from '../stores/events/event-store.js';
import type { UsageEvent } from '../metering/usage-event.js';
import { nextRun } from './report-schedule.js';
import { collectReport, reportNotification } from './summary-report.js';

test('nextRun: the next HH:MM UTC strictly after now, on the given weekday', () => {
  const mon0930 = Date.UTC(2026, 10, 23, 9, 30); // a Monday
  assert.equal(nextRun(mon0930, '08:00'), Date.UTC(2026, 10, 24, 8, 0));
  assert.equal(nextRun(mon0930, '10:00'), Date.UTC(2026, 10, 23, 10, 0));
  assert.equal(nextRun(Date.UTC(2026, 10, 23, 10, 0), '10:00'), Date.UTC(2026, 10, 24, 10, 0), 'never now itself');
  assert.equal(nextRun(mon0930, '08:00', 'mon'), Date.UTC(2026, 10, 30, 8, 0));
  assert.equal(nextRun(mon0930, '08:00', 'fri'), Date.UTC(2026, 10, 27, 8, 0));
});

function fakeStore(events: UsageEvent[]): EventStore {
  return {
    append: async () => 0, query: async () => ({ rows: [], nextCursor: null }), prune: async () => 0, close: async () => undefined,
    async *scan(f) { for (const e of events) if (e.time >= (f.from ?? 0) && e.time < (f.to ?? Infinity)) yield e; },
  };
}

test('a summary report totals the period and ranks operations and errors', async () => {
  const t = Date.UTC(2026, 10, 23, 9);
  const events = [
    makeEvent({ time: t, operation: 'resume_parsing', costMicros: 3_000_000, cacheStatus: 'MISS' }),
    makeEvent({ time: t, operation: 'resume_parsing', costMicros: 0, savedMicros: 3_000_000, cacheStatus: 'HIT' }),
    makeEvent({ time: t, operation: 'spam_check', costMicros: 500_000 }),
    makeEvent({ time: t, operation: 'spam_check', status: 503, errorCode: 'upstream_overloaded', costMicros: 0 }),
    makeEvent({ time: t - 86_400_001, operation: 'old', costMicros: 9_000_000 }),
  ];
  const f = await collectReport(fakeStore(events), t - 86_400_000, t + 1);
  assert.equal(f.requests, 4);
  assert.equal(f.errors, 1);
  assert.equal(f.costMicros, 3_500_000);
  assert.equal(f.savedMicros, 3_000_000);
  assert.deepEqual(f.topOperations.map((o) => o.operation), ['resume_parsing', 'spam_check']);
  assert.deepEqual(f.topErrors, [{ code: 'upstream_overloaded', count: 1 }]);
  const n = reportNotification('daily', f, undefined, 10_000_000);
  assert.match(n.title, /daily report: 4 requests, \$3\.50/);
  assert.match(n.body, /\$3\.50 of \$10\.00 budget \(35\.0%\)/);
  assert.match(n.body, /hit rate 25\.0%, saved \$3\.00/);
});
