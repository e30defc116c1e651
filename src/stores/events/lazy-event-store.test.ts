/**
 * Unit tests of LazyEventStore, the wrapper that lets the gateway start and serve while its log
 * database is unreachable: nothing is opened until the first call, a failed open is not retried
 * before `retryMs` has passed on the injected clock (calls in between fail at once with the last
 * error), concurrent calls share one connection attempt, every EventStore method is passed
 * through to the opened store unchanged, and close closes that store once — also while an open
 * is still pending — and is harmless when nothing was ever opened. The opened store is a fake
 * that records its calls, so no database is involved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventFilter, EventPage, EventStore } from './event-store.js';
import { makeEvent, makeEvents } from './event-fixtures.js';
import { LazyEventStore } from './lazy-event-store.js';

class FakeStore implements EventStore {
  readonly calls: unknown[][] = [];
  closes = 0;
  constructor(private readonly rows: UsageEvent[] = [makeEvent({ requestId: 'req_fake_1' }), makeEvent({ requestId: 'req_fake_2' })]) {}
  async append(events: readonly UsageEvent[]): Promise<number> {
    this.calls.push(['append', events.length]);
    return events.length;
  }
  async query(filter: EventFilter, limit: number, cursor?: string | null): Promise<EventPage> {
    this.calls.push(['query', filter, limit, cursor]);
    return { rows: this.rows.slice(0, limit), nextCursor: 'next-page' };
  }
  async *scan(filter: EventFilter): AsyncIterable<UsageEvent> {
    this.calls.push(['scan', filter]);
    yield* this.rows;
  }
  async prune(before: number): Promise<number> {
    this.calls.push(['prune', before]);
    return 7;
  }
  async close(): Promise<void> {
    this.closes++;
  }
}

/** An `open` whose every call is counted and answered by the next scripted outcome. */
function scriptedOpen(...outcomes: Array<EventStore | Error>): { open: () => Promise<EventStore>; opens: () => number } {
  let n = 0;
  return {
    open: async () => {
      const outcome = outcomes[Math.min(n++, outcomes.length - 1)];
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
    opens: () => n,
  };
}

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

test('opens nothing until first used, then connects once and reuses the store', async () => {
  const fake = new FakeStore();
  const s = scriptedOpen(fake);
  const lazy = new LazyEventStore(s.open);
  assert.equal(s.opens(), 0);
  assert.equal(lazy.connected, false);
  assert.equal(await lazy.append(makeEvents(3)), 3);
  assert.equal(lazy.connected, true);
  assert.equal(await lazy.append(makeEvents(2)), 2);
  assert.equal(s.opens(), 1, 'a connected store is not reopened');
  assert.deepEqual(fake.calls, [['append', 3], ['append', 2]]);
});

test('a failed open is retried only once retryMs has passed; calls in between fail at once with its error', async () => {
  let clock = 1_000_000;
  const down = new Error('connect ECONNREFUSED');
  const fake = new FakeStore();
  const s = scriptedOpen(down, fake);
  const lazy = new LazyEventStore(s.open, 1_000, () => clock);
  await assert.rejects(lazy.append(makeEvents(1)), (err) => err === down);
  assert.equal(s.opens(), 1);
  clock += 999;
  await assert.rejects(lazy.append(makeEvents(1)), (err) => err === down, 'the last error is reported');
  await assert.rejects(lazy.query({}, 10), (err) => err === down);
  assert.equal(s.opens(), 1, 'no new attempt inside retryMs');
  assert.equal(lazy.connected, false);
  clock += 1;
  assert.equal(await lazy.append(makeEvents(4)), 4);
  assert.equal(s.opens(), 2);
  assert.equal(lazy.connected, true);
});

test('concurrent calls share one connection attempt, whether it succeeds or fails', async () => {
  const pending = deferred<EventStore>();
  let opens = 0;
  const lazy = new LazyEventStore(() => { opens++; return pending.promise; }, 0);
  const calls = [lazy.append(makeEvents(1)), lazy.query({ tenant: 'acme' }, 5), lazy.prune(123)];
  assert.equal(opens, 1);
  const fake = new FakeStore();
  pending.resolve(fake);
  const [appended, page, pruned] = await Promise.all(calls);
  assert.equal(appended, 1);
  assert.equal((page as EventPage).rows.length, 2);
  assert.equal(pruned, 7);
  assert.equal(opens, 1);

  const failing = deferred<EventStore>();
  let failedOpens = 0;
  const down = new LazyEventStore(() => { failedOpens++; return failing.promise; }, 60_000);
  const waiting = [down.append(makeEvents(1)), down.append(makeEvents(2))];
  failing.reject(new Error('db down'));
  const settled = await Promise.allSettled(waiting);
  assert.deepEqual(settled.map((r) => r.status), ['rejected', 'rejected']);
  assert.equal(failedOpens, 1);
});

test('append, query, scan and prune are passed through unchanged', async () => {
  const rows = makeEvents(3, 'deleg');
  const fake = new FakeStore(rows);
  const lazy = new LazyEventStore(scriptedOpen(fake).open);
  const filter: EventFilter = { provider: 'openai', status: 200 };
  assert.deepEqual(await lazy.query(filter, 2, 'cursor-1'), { rows: rows.slice(0, 2), nextCursor: 'next-page' });
  const scanned: UsageEvent[] = [];
  for await (const e of lazy.scan({ tenant: 'acme' })) scanned.push(e);
  assert.deepEqual(scanned, rows);
  assert.equal(await lazy.prune(42), 7);
  assert.equal(await lazy.append(rows), 3);
  assert.deepEqual(fake.calls, [['query', filter, 2, 'cursor-1'], ['scan', { tenant: 'acme' }], ['prune', 42], ['append', 3]]);
});

test('close closes the opened store once, waits for a pending open, and is safe when never connected', async () => {
  const never = scriptedOpen(new FakeStore());
  const idle = new LazyEventStore(never.open);
  await idle.close();
  assert.equal(never.opens(), 0, 'closing does not connect');

  const fake = new FakeStore();
  const lazy = new LazyEventStore(scriptedOpen(fake).open);
  await lazy.append(makeEvents(1));
  await lazy.close();
  assert.equal(fake.closes, 1);
  assert.equal(lazy.connected, false);
  await lazy.close();
  assert.equal(fake.closes, 1, 'a second close does not close again');

  const pending = deferred<EventStore>();
  const late = new FakeStore();
  const connecting = new LazyEventStore(() => pending.promise);
  const first = connecting.append(makeEvents(1));
  const closing = connecting.close();
  pending.resolve(late);
  await first;
  await closing;
  assert.equal(late.closes, 1, 'a store that arrives while closing is closed too');

  const failing = deferred<EventStore>();
  const neverUp = new LazyEventStore(() => failing.promise);
  const failed = assert.rejects(neverUp.append(makeEvents(1)));
  const closeFailed = neverUp.close();
  failing.reject(new Error('db down'));
  await failed;
  await closeFailed;
});

test('after close, calls fail instead of reopening the store', async () => {
  let opened = 0;
  const lazy = new LazyEventStore(async () => { opened++; return new FakeStore(); });
  await lazy.append([]);
  await lazy.close();
  await assert.rejects(lazy.append([]), /closed/);
  await assert.rejects(lazy.query({}, 10), /closed/);
  assert.equal(opened, 1);
});
