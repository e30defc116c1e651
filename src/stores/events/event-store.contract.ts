/**
 * The one contract every EventStore backend must pass: idempotent batched appends, each filter,
 * keyset pagination with ties on time, streaming scan, retention, hostile strings (B5) and a
 * large batch. Backend test files call runEventStoreContract with a factory that opens a fresh,
 * empty store each time (a new in-memory database, a new PostgreSQL schema).
 *
 * Expected results are computed in JavaScript from the events appended, never from the store.
 */
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { UsageEvent } from '../../metering/usage-event.js';
import type { EventFilter, EventStore } from './event-store.js';
import { InvalidCursorError } from './event-cursor.js';
import { FIXTURE_TIME as T0, makeEvent, makeEvents } from './event-fixtures.js';
import { storeSafeText } from './store-text.js';

function newestFirst(events: readonly UsageEvent[]): UsageEvent[] {
  return [...events].sort((a, b) => b.time - a.time || (a.requestId < b.requestId ? 1 : a.requestId > b.requestId ? -1 : 0));
}

const ids = (rows: readonly UsageEvent[]): string[] => rows.map((r) => r.requestId);

async function allPages(store: EventStore, filter: EventFilter, limit: number): Promise<UsageEvent[][]> {
  const pages: UsageEvent[][] = [];
  let cursor: string | null = null;
  do {
    const page = await store.query(filter, limit, cursor);
    pages.push(page.rows);
    cursor = page.nextCursor;
  } while (cursor !== null && pages.length < 10_000);
  return pages;
}

async function collect(rows: AsyncIterable<UsageEvent>): Promise<UsageEvent[]> {
  const out: UsageEvent[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

/** A dozen events that differ in every filterable field. */
function variedEvents(): UsageEvent[] {
  const tenants = ['acme', 'globex', null];
  const providers: Array<[string, string]> = [['openai', 'gpt-4o'], ['anthropic', 'claude-sonnet-4-5'], ['openai', 'gpt-4o-mini']];
  const caches = ['HIT', 'MISS', 'BYPASS', null] as const;
  return Array.from({ length: 12 }, (_, i) => makeEvent({
    requestId: `v-${String(i).padStart(2, '0')}`,
    time: T0 + i * 1000,
    tenant: tenants[i % 3],
    provider: providers[i % 3][0],
    model: providers[i % 3][1],
    cacheStatus: caches[i % 4],
    status: i % 5 === 0 ? 429 : 200,
    errorCode: i % 5 === 0 ? 'rate_limited' : null,
    operation: i % 2 === 0 ? 'resume_parsing' : 'application_generation',
  }));
}

/** Writes: round trip, idempotency, opt-out. */
function appendCases(store: () => EventStore): void {
  test('append round-trips every field and reports the rows inserted', async () => {
    const full = makeEvent({
      requestId: 'full', routeAlias: 'smart', errorCode: 'upstream_timeout', cacheStatus: 'HIT', neurons: 12.75,
      ttftMs: null, costMicros: null, savedMicros: 4200, stream: true, partial: true, estimated: true, fallbackIndex: 1,
      attempts: 3, endpoint: 'embeddings', payload: { request: 'hi "there"\n', response: null },
      metadata: { a: '1', 'key with space': 'ü' },
    });
    const sparse = makeEvent({ requestId: 'sparse', time: T0 - 1, tenant: null, keyId: null, user: null,
      operation: null, metadata: null, provider: null, model: null, cacheStatus: null, status: 499 });
    assert.equal(await store().append([full, sparse]), 2);
    assert.equal(await store().append([]), 0);
    const page = await store().query({}, 10);
    assert.deepEqual(page.rows, [full, sparse]);
    assert.equal(page.nextCursor, null);
  });

  test('append is idempotent by request id, within a batch and across batches', async () => {
    const [a, b, c] = makeEvents(3, 'dup');
    assert.equal(await store().append([a, b]), 2);
    const changedB = { ...b, status: 500, model: 'other' };
    assert.equal(await store().append([changedB, c, { ...c, status: 502 }, a]), 1);
    const rows = (await store().query({}, 100)).rows;
    assert.deepEqual(rows, [c, b, a]);
  });

  test('an event whose client opted out of logging (collect: false) is not stored', async () => {
    const [kept, optedOut] = makeEvents(2, 'collect');
    assert.equal(await store().append([kept, { ...optedOut, collect: false }]), 1);
    assert.equal(await store().append([{ ...optedOut, collect: false }]), 0);
    assert.deepEqual(ids((await store().query({}, 10)).rows), ['collect-00000']);
  });
}

/** Reads: filters, pages, cursors. */
function readCases(store: () => EventStore): void {
  test('each filter narrows to exactly the matching rows', async () => {
    const events = variedEvents();
    await store().append(events);
    const cases: Array<[EventFilter, (e: UsageEvent) => boolean]> = [
      [{}, () => true],
      [{ from: T0 + 3000 }, (e) => e.time >= T0 + 3000],
      [{ to: T0 + 3000 }, (e) => e.time < T0 + 3000],
      [{ from: T0 + 2000, to: T0 + 6000 }, (e) => e.time >= T0 + 2000 && e.time < T0 + 6000],
      [{ from: T0 + 2999.5, to: T0 + 5000.5 }, (e) => e.time >= T0 + 3000 && e.time <= T0 + 5000],
      [{ from: Number.NEGATIVE_INFINITY, to: Number.POSITIVE_INFINITY }, () => true],
      [{ cacheStatus: 'HIT' }, (e) => e.cacheStatus === 'HIT'],
      [{ provider: 'openai' }, (e) => e.provider === 'openai'],
      [{ model: 'gpt-4o' }, (e) => e.model === 'gpt-4o'],
      [{ provider: 'openai', model: 'gpt-4o-mini' }, (e) => e.model === 'gpt-4o-mini'],
      [{ status: 429 }, (e) => e.status === 429],
      [{ tenant: 'globex' }, (e) => e.tenant === 'globex'],
      [{ operation: 'application_generation' }, (e) => e.operation === 'application_generation'],
      [{ requestId: 'v-07' }, (e) => e.requestId === 'v-07'],
      [{ errorCode: 'rate_limited' }, (e) => e.errorCode === 'rate_limited'],
      [{ tenant: 'acme', status: 200, from: T0 + 1 }, (e) => e.tenant === 'acme' && e.status === 200 && e.time > T0],
      [{ tenant: 'nobody' }, () => false],
    ];
    for (const [filter, keep] of cases) {
      const expected = ids(newestFirst(events.filter(keep)));
      assert.deepEqual(ids((await store().query(filter, 100)).rows), expected, JSON.stringify(filter));
    }
  });

  test('pages newest first across more than two pages with ties on time', async () => {
    const events = Array.from({ length: 23 }, (_, i) => makeEvent({
      requestId: `p-${String((i * 7) % 23).padStart(2, '0')}`, time: T0 + (i % 3), tenant: i % 2 === 0 ? 'acme' : 'globex',
    }));
    await store().append(events);
    const pages = await allPages(store(), {}, 5);
    assert.deepEqual(pages.map((p) => p.length), [5, 5, 5, 5, 3]);
    assert.deepEqual(ids(pages.flat()), ids(newestFirst(events)));
    const acme = await allPages(store(), { tenant: 'acme' }, 4);
    assert.ok(acme.length > 2);
    assert.deepEqual(ids(acme.flat()), ids(newestFirst(events.filter((e) => e.tenant === 'acme'))));
  });

  test('an exact final page has no next cursor, and a malformed cursor is rejected', async () => {
    await store().append(makeEvents(4, 'x'));
    const pages = await allPages(store(), {}, 2);
    assert.deepEqual(pages.map((p) => p.length), [2, 2]);
    await assert.rejects(store().query({}, 10, 'not a cursor!'), InvalidCursorError);
  });
}

/** Streaming scan and retention. */
function scanAndPruneCases(store: () => EventStore): void {
  test('scan streams every matching row newest first, and can stop early', async () => {
    const events = makeEvents(1203, 's').map((e, i) => ({ ...e, tenant: i % 10 === 0 ? 'rare' : 'acme' }));
    await store().append(events);
    assert.deepEqual(ids(await collect(store().scan({}))), ids(newestFirst(events)));
    const rare = await collect(store().scan({ tenant: 'rare' }));
    assert.deepEqual(ids(rare), ids(newestFirst(events.filter((e) => e.tenant === 'rare'))));
    assert.deepEqual(await collect(store().scan({ tenant: 'nobody' })), []);
    let seen = 0;
    for await (const _row of store().scan({})) if (++seen === 10) break;
    assert.equal(seen, 10);
    assert.equal(await store().append([makeEvent({ requestId: 'after-break' })]), 1);
  });

  test('prune deletes rows strictly older than the cutoff and reports how many', async () => {
    await store().append(makeEvents(10, 'old'));
    assert.equal(await store().prune(T0 + 5), 5);
    assert.deepEqual(ids(await collect(store().scan({}))), ['old-00009', 'old-00008', 'old-00007', 'old-00006', 'old-00005']);
    assert.equal(await store().prune(T0 + 5), 0);
  });
}

/** Input that must not break a batch, and batch size. */
function hostileInputCases(store: () => EventStore): void {
  test('NUL and lone surrogates in strings still produce a row (B5)', async () => {
    const nasty = 'a\u0000b\uD800c\uDFFF';
    const event = makeEvent({
      requestId: 'id\u0000nul', tenant: nasty, keyId: nasty, user: nasty, operation: nasty, model: nasty,
      routeAlias: nasty, errorCode: nasty, metadata: { [nasty]: nasty }, payload: { request: nasty, response: '\u0000' },
    });
    assert.equal(await store().append([event]), 1);
    const [row] = (await store().query({ tenant: nasty, model: nasty }, 10)).rows;
    assert.ok(row, 'the filter with the original string finds the row');
    const safe = storeSafeText(nasty);
    assert.equal(safe, 'a\uFFFDb\uFFFDc\uFFFD');
    assert.deepEqual([row.requestId, row.tenant, row.user, row.operation, row.errorCode, row.keyId, row.routeAlias],
      ['id\uFFFDnul', safe, safe, safe, safe, safe, safe]);
    assert.deepEqual(row.metadata, { [nasty]: nasty }, 'JSON columns round-trip exactly');
    assert.deepEqual(row.payload, { request: nasty, response: '\u0000' });
    assert.equal(await store().append([event]), 0, 'the replaced id still deduplicates');
  });

  test('numbers are normalized, never a reason to reject the batch', async () => {
    const odd = makeEvent({ requestId: 'odd', latencyMs: Number.NaN, ttftMs: Number.POSITIVE_INFINITY,
      tokensIn: 10.6, costMicros: 1.4, neurons: Number.NaN });
    assert.equal(await store().append([odd, makeEvent({ requestId: 'fine' })]), 2);
    const row = (await store().query({ requestId: 'odd' }, 1)).rows[0];
    assert.deepEqual([row.latencyMs, row.ttftMs, row.tokensIn, row.costMicros, row.neurons], [0, null, 11, 1, null]);
  });

  test('a batch of 5000 lands in one append; page size is clamped to [1, 1000]', async () => {
    const events = makeEvents(5000, 'big');
    assert.equal(await store().append(events), 5000);
    const page = await store().query({}, 5000);
    assert.equal(page.rows.length, 1000);
    assert.equal(page.rows[0].requestId, 'big-04999');
    assert.notEqual(page.nextCursor, null);
    assert.equal((await store().query({}, 0)).rows.length, 1);
    assert.equal((await store().query({ from: T0 + 4990 }, Number.NaN)).rows.length, 10);
    // Retention deletes in chunks; this crosses a chunk boundary.
    assert.equal(await store().prune(T0 + 10_000), 5000);
    assert.deepEqual((await store().query({}, 10)).rows, []);
  });
}

export function runEventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let current: EventStore;
    beforeEach(async () => { current = await open(); });
    afterEach(async () => { await current.close(); });
    const store = (): EventStore => current;
    appendCases(store);
    readCases(store);
    scanAndPruneCases(store);
    hostileInputCases(store);
  });
}
