/**
 * The threaded SQLite store (connection in a worker thread) passes the same contract suite as
 * every other backend, and reports worker-side failures as rejected calls, not crashes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runEventStoreContract } from './event-store.contract.js';
import { ThreadedSqliteStore } from './threaded-sqlite-store.js';
import { InvalidCursorError } from './event-cursor.js';

runEventStoreContract('sqlite (worker thread)', () => ThreadedSqliteStore.open(join(mkdtempSync(join(tmpdir(), 'tollgate-threaded-')), 'events.db')));

describe('threaded sqlite store', () => {
  test('a bad cursor is an InvalidCursorError across the thread boundary', async () => {
    const store = await ThreadedSqliteStore.open(':memory:');
    await assert.rejects(store.query({}, 10, 'not-a-cursor'), InvalidCursorError);
    await store.close();
  });

  test('calls after close reject instead of hanging', async () => {
    const store = await ThreadedSqliteStore.open(':memory:');
    await store.close();
    await assert.rejects(store.append([]).then(() => store.query({}, 1)));
  });

  test('a path that cannot be opened fails the open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tollgate-threaded-bad-'));
    const file = join(dir, 'plain-file');
    writeFileSync(file, 'not a directory');
    await assert.rejects(ThreadedSqliteStore.open(join(file, 'x.db')));
  });
});
